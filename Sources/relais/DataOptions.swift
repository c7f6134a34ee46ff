import ArgumentParser
import Foundation
import RelaisDaemon
import RelaisStore

/// The options every command that touches a replica takes, defined once.
struct DataOptions: ParsableArguments {
    @Option(help: "The data folder of this replica.")
    var data: String

    @Option(help: "Read the passphrase from this file (otherwise RELAIS_PASSPHRASE, otherwise a prompt).")
    var passphraseFile: String?

    @Option(help: "Unlock with this key file instead of a passphrase, for unattended servers.")
    var keyFile: String?

    /// Where the passphrase comes from when no file is given.
    private var environmentVariable = "RELAIS_PASSPHRASE"

    init() {}

    private init(data: String, passphraseFile: String?, environmentVariable: String) {
        self.data = data
        self.passphraseFile = passphraseFile
        self.environmentVariable = environmentVariable
    }

    func validate() throws {
        if passphraseFile != nil && keyFile != nil {
            throw ValidationError("give --passphrase-file or --key-file, not both")
        }
    }

    func openReplica() throws -> Replica {
        warnAboutPermissions()
        return try Replica.open(folder: data, unlock: unlock(confirmingNewPassphrase: false), wallClock: SystemClock.now)
    }

    /// One line on standard error per file others could open; the command still runs.
    func warnAboutPermissions() {
        for warning in FileAccess.permissionWarnings(folder: data) {
            FileHandle.standardError.write(Data("relais: warning: \(warning)\n".utf8))
        }
    }

    func unlock(confirmingNewPassphrase: Bool) throws -> KeyringUnlock {
        if let keyFile {
            guard var content = FileManager.default.contents(atPath: keyFile).map({ [UInt8]($0) }) else {
                throw CommandError(description: "cannot read key file \(keyFile)")
            }
            return try KeyringUnlock.keyFile(&content)
        }
        var passphrase = try readPassphrase(confirming: confirmingNewPassphrase)
        return try KeyringUnlock.passphrase(&passphrase)
    }

    /// The new secret for `passphrase change`: `--new-key-file`, `--new-passphrase-file`,
    /// `RELAIS_NEW_PASSPHRASE`, or a prompt asked twice.
    func newUnlock(passphraseFile: String?, keyFile: String?) throws -> KeyringUnlock {
        if let keyFile {
            guard var content = FileManager.default.contents(atPath: keyFile).map({ [UInt8]($0) }) else {
                throw CommandError(description: "cannot read key file \(keyFile)")
            }
            return try KeyringUnlock.keyFile(&content)
        }
        var passphrase = try DataOptions(data: data, passphraseFile: passphraseFile, environmentVariable: "RELAIS_NEW_PASSPHRASE")
            .readPassphrase(confirming: true, prompt: "New passphrase: ")
        return try KeyringUnlock.passphrase(&passphrase)
    }

    private func readPassphrase(confirming: Bool, prompt text: String = "Passphrase: ") throws -> [UInt8] {
        if let passphraseFile {
            guard var content = FileManager.default.contents(atPath: passphraseFile).map({ [UInt8]($0) }) else {
                throw CommandError(description: "cannot read passphrase file \(passphraseFile)")
            }
            // One line ending, Unix or Windows: a file saved by Notepad holds the same passphrase.
            if content.last == UInt8(ascii: "\n") { content.removeLast() }
            if content.last == UInt8(ascii: "\r") { content.removeLast() }
            return content
        }
        if let fromEnvironment = ProcessInfo.processInfo.environment[environmentVariable] {
            return Array(fromEnvironment.utf8)
        }
        guard isatty(STDIN_FILENO) == 1 else {
            throw CommandError(
                description: "no passphrase: set \(environmentVariable), give a passphrase file, or run in a terminal")
        }
        let first = prompt(text)
        if confirming, prompt("Again: ") != first {
            throw CommandError(description: "the two passphrases differ; nothing was created")
        }
        return first
    }

    private func prompt(_ text: String) -> [UInt8] {
        guard let typed = getpass(text) else { return [] }
        defer { memset(typed, 0, strlen(typed)) }
        return Array(UnsafeBufferPointer(start: typed, count: strlen(typed))).map { UInt8(bitPattern: $0) }
    }
}

/// `--json` for read commands.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON (its shape is documented in README.md).")
    var json = false

    func print<Value: Encodable>(_ value: Value, text: () -> String) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
        } else {
            Swift.print(text(), terminator: "")
        }
    }
}
