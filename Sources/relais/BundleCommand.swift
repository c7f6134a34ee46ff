import ArgumentParser
import RelaisCore
import RelaisStore

struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle", abstract: "Carry changes by file (a USB key) where no network reaches.",
        subcommands: [BundleExport.self, BundleImportCommand.self])
}

struct BundleExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write the changes a device lacks to a file sealed for the team.")
    @OptionGroup var options: DataOptions
    @Option(help: "The device the file is for (its id, as 'relais admin devices' lists it).") var forPeer: String?
    @Option(help: "Or the vector it holds, as DEVICE=SEQUENCE,... (full device ids).") var since: String?
    @Option(help: "The file to write.") var out: String
    @Flag(help: "Replace the file if it exists.") var force = false

    func validate() throws {
        guard (forPeer == nil) != (since == nil) else { throw ValidationError("give exactly one of --for-peer or --since") }
    }

    func run() throws {
        try OutputFile.check(out, dataFolder: options.data, force: force)
        let replica = try options.openReplica()
        let vector: VersionVector
        // For a known device, only what its care teams may hold; otherwise what this node holds.
        let reader: ScopeReader
        if let forPeer {
            guard let id = Identifier128(hex: forPeer.lowercased()) else {
                throw CommandError(description: "'\(forPeer)' is not a device id (32 hex digits)")
            }
            vector = try replica.knownVector(of: DeviceID(id))
            reader = try replica.scopeReader(of: DeviceID(id))
        } else {
            vector = try Self.parseVector(since!)
            reader = try replica.scopeReader(of: replica.keyring.device)
        }
        let count = try replica.exportBundle(missingFrom: vector, for: reader, to: out)
        print("Wrote \(count) change(s) to \(out), sealed for the team.")
    }

    static func parseVector(_ text: String) throws -> VersionVector {
        var entries: [DeviceID: UInt64] = [:]
        for item in text.split(separator: ",") where !item.isEmpty {
            let parts = item.split(separator: "=")
            guard parts.count == 2, let id = Identifier128(hex: parts[0].lowercased()), let sequence = UInt64(parts[1]) else {
                throw CommandError(description: "'\(item)' is not DEVICE=SEQUENCE with a 32-hex-digit device id")
            }
            entries[DeviceID(id)] = sequence
        }
        return VersionVector(entries)
    }
}

struct BundleImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Apply the changes of a bundle file, with the same checks as a session.")
    @OptionGroup var options: DataOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The bundle file.") var file: String

    func run() throws {
        let result = try options.openReplica().importBundle(from: file)
        try output.print(result) {
            "Imported \(result.changes) change(s): \(result.applied) applied, \(result.alreadyHeld) already held, "
                + "\(result.waiting) waiting for earlier changes, \(result.refused.count) refused.\n"
                + result.refused.map { "refused \($0)\n" }.joined()
        }
        if !result.refused.isEmpty { throw CommandError(description: "\(result.refused.count) change(s) were refused") }
    }
}
