import Foundation
import RelaisCore
import RelaisHarness
import RelaisStore
import RelaisTestSupport
import Testing

/// A hub opens with a key file, yet its admin logs in to its app: with a passphrase of the app's
/// own, kept as an Argon2id string beside the keyring, which it never unlocks.
@Suite struct AppLoginTests {
    @Test func aKeyFileNodeTakesTheAppPassphraseOnceSetAndNoOther() throws {
        let folder = TemporaryFolder()
        let data = folder.path + "/data"
        var content = KeyringUnlock.newKeyFileContent()
        let hub = try Replica.create(
            folder: data, deviceName: "hub", unlock: KeyringUnlock.keyFile(&content), wallClock: TestClock.machine)
        let check = try #require(hub.unlockCheck)
        #expect(!check.takesPassphrase, "an app with nothing to check logins against")
        #expect(!check.accepts(try Passphrases.unlock("anything")))

        try hub.setAppPassphrase(try Passphrases.unlock("accueil du lundi"))
        #expect(check.takesPassphrase)
        #expect(check.accepts(try Passphrases.unlock("accueil du lundi")))
        #expect(!check.accepts(try Passphrases.unlock("accueil du mardi")))
        let stored = try String(contentsOfFile: data + "/app-login", encoding: .utf8)
        #expect(!stored.contains("accueil"))
        let mode = try FileManager.default.attributesOfItem(atPath: data + "/app-login")[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // A damaged file refuses every passphrase; it never opens the app.
        try Data("$argon2id$v=19$m=1073741824,t=16,p=1$AAAA$AAAA\n".utf8).write(to: URL(fileURLWithPath: data + "/app-login"))
        #expect(!check.accepts(try Passphrases.unlock("accueil du lundi")))
    }

    @Test func aPassphraseNodeHasNoAppPassphraseToSet() throws {
        let folder = TemporaryFolder()
        let laptop = try Replica.create(
            folder: folder.path + "/data", deviceName: "k", unlock: Passphrases.unlock("right"), wallClock: TestClock.machine)
        #expect(throws: StoreError.self) { try laptop.setAppPassphrase(try Passphrases.unlock("other")) }
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/data/app-login"))
        #expect(try #require(laptop.unlockCheck).accepts(try Passphrases.unlock("right")))
    }
}
