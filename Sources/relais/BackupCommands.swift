import ArgumentParser
import RelaisDaemon
import RelaisStore

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the data folder into one file, as opaque as the folder, while 'relais serve' may run.")
    @Option(help: "The data folder.") var data: String
    @Option(help: "The backup file to write.") var out: String
    @Flag(help: "Replace the file if it exists.") var force = false

    func run() throws {
        try OutputFile.check(out, dataFolder: data, force: force)
        let bytes = try Replica.backup(folder: data, to: out, at: SystemClock.now())
        print("Backed up \(data) to \(out) (\(bytes) bytes, sealed like the folder).")
    }
}

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Recreate a data folder from a backup; it then takes a new identity before writing.")
    @OptionGroup var options: DataOptions
    @Argument(help: "The backup file ('relais backup' wrote it).") var file: String

    func run() throws {
        let replica = try Replica.restore(
            from: file, into: options.data, unlock: options.unlock(confirmingNewPassphrase: false), wallClock: SystemClock.now)
        print(
            "Restored \(options.data) from \(file). Before writing, it takes a new identity: "
                + (replica.isAdminNode
                    ? "run 'relais rotate-device-key --data \(options.data)'."
                    : "run 'relais rotate-device-key --data \(options.data) --hub HOST:PORT' with the admin node."))
    }
}
