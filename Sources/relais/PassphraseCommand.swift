import ArgumentParser
import RelaisDaemon
import RelaisStore

struct PassphraseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passphrase", abstract: "Change what unlocks this device's keyring, or set the app's passphrase on a hub.",
        subcommands: [PassphraseChange.self, PassphraseApp.self])
}

struct PassphraseChange: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "change",
        abstract: "Re-seal the keyring under a new passphrase (RELAIS_NEW_PASSPHRASE, a file, or a prompt) or key file.")
    @OptionGroup var options: DataOptions
    @Option(help: "Read the new passphrase from this file.") var newPassphraseFile: String?
    @Option(help: "Seal with this key file instead (unattended servers).") var newKeyFile: String?

    func validate() throws {
        if newPassphraseFile != nil && newKeyFile != nil {
            throw ValidationError("give --new-passphrase-file or --new-key-file, not both")
        }
    }

    func run() throws {
        try ServeLock.ensureNotServing(folder: options.data)
        let replica = try options.openReplica()
        try replica.changeUnlock(to: options.newUnlock(passphraseFile: newPassphraseFile, keyFile: newKeyFile))
        print("The keyring is now sealed under the new secret; the old one no longer opens it.")
    }
}

struct PassphraseApp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app",
        abstract:
            "On a node unlocked by a key file (a hub), set the passphrase its app asks for (RELAIS_NEW_PASSPHRASE, a file, or a prompt)."
    )
    @OptionGroup var options: DataOptions
    @Option(help: "Read the new passphrase from this file.") var newPassphraseFile: String?

    func run() throws {
        // Opening the replica proves the key file: only who can run the node sets its app's passphrase.
        let replica = try options.openReplica()
        try replica.setAppPassphrase(options.newUnlock(passphraseFile: newPassphraseFile, keyFile: nil))
        print("The app of this node now asks for this passphrase; restart 'relais serve' if it runs, so that it serves the app.")
    }
}
