import ArgumentParser
import Foundation
import RelaisCore
import RelaisDaemon
import RelaisStore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a replica and this device's keyring in a data folder.")

    @OptionGroup var options: DataOptions

    @Option(help: "A name for this device, shown to admins (default: the host name).")
    var name: String?

    func run() throws {
        let deviceName = name ?? ProcessInfo.processInfo.hostName
        if let keyFile = options.keyFile, !FileManager.default.fileExists(atPath: keyFile) {
            // Beside the keyring it seals, a key file would hand a thief of the folder both.
            try OutputFile.check(keyFile, dataFolder: options.data, force: false)
            try OutputFile.writeOwnerOnly(Data(KeyringUnlock.newKeyFileContent()), to: keyFile)
            print("Created key file \(keyFile): keep it as safe as the data itself.")
        }
        let replica = try Replica.create(
            folder: options.data, deviceName: deviceName, unlock: options.unlock(confirmingNewPassphrase: true),
            wallClock: SystemClock.now)
        print("Initialised \(options.data) for device \(replica.keyring.deviceName) (\(replica.keyring.device.hex)).")
    }
}
