import Foundation
import RelaisCore
import RelaisHarness
import RelaisStore
import RelaisTestSupport
import Testing

@Suite struct KeyringTests {
    @Test func aWrongPassphraseIsRefusedAndChangesNoFile() throws {
        let folder = TemporaryFolder()
        let data = folder.path + "/data"
        let replica = try Replica.create(
            folder: data, deviceName: "k", unlock: Passphrases.unlock("right"), wallClock: TestClock.machine)
        try replica.addPerson(["family_name=Dupont"])
        try replica.checkpoint()
        let before = folder.allFiles().map { "\($0.path):\($0.bytes)" }.sorted()
        #expect {
            _ = try Replica.open(folder: data, unlock: Passphrases.unlock("wrong"), wallClock: TestClock.machine)
        } throws: { error in
            guard let error = error as? StoreError, case .wrongPassphrase = error else { return false }
            return error.isBadInput
        }
        #expect(folder.allFiles().map { "\($0.path):\($0.bytes)" }.sorted() == before)
        #expect(
            try Replica.open(folder: data, unlock: Passphrases.unlock("right"), wallClock: TestClock.machine).listPersons().count
                == 1)
    }

    @Test func aKeyFileOpensWhatItSealedAndAPassphraseDoesNot() throws {
        let folder = TemporaryFolder()
        let data = folder.path + "/data"
        var content = KeyringUnlock.newKeyFileContent()
        let copy = content
        _ = try Replica.create(
            folder: data, deviceName: "hub", unlock: KeyringUnlock.keyFile(&content), wallClock: TestClock.machine)
        #expect(content.allSatisfy { $0 == 0 }, "the caller's copy of the secret is wiped")
        var again = copy
        #expect(
            try Replica.open(folder: data, unlock: KeyringUnlock.keyFile(&again), wallClock: TestClock.machine).keyring.deviceName
                == "hub")
        #expect(throws: StoreError.self) {
            try Replica.open(folder: data, unlock: Passphrases.unlock("guess"), wallClock: TestClock.machine)
        }
    }

    @Test func aTooShortKeyFileIsRefused() {
        var short = [UInt8](repeating: 7, count: 8)
        #expect(throws: StoreError.self) { try KeyringUnlock.keyFile(&short) }
    }

    @Test func aDamagedKeyringIsReportedAsDamaged() throws {
        let folder = TemporaryFolder()
        let data = folder.path + "/data"
        _ = try Replica.create(folder: data, deviceName: "k", unlock: Passphrases.unlock("right"), wallClock: TestClock.machine)
        _ = FileManager.default.createFile(atPath: data + "/keyring", contents: Data("garbage".utf8))
        #expect {
            _ = try Replica.open(folder: data, unlock: Passphrases.unlock("right"), wallClock: TestClock.machine)
        } throws: { error in
            guard let error = error as? StoreError, case .keyringDamaged = error else { return false }
            return true
        }
    }

    @Test func initRefusesAnExistingReplica() throws {
        let folder = TemporaryFolder()
        let data = folder.path + "/data"
        _ = try Replica.create(folder: data, deviceName: "k", unlock: Passphrases.unlock("a"), wallClock: TestClock.machine)
        #expect(throws: StoreError.self) {
            try Replica.create(folder: data, deviceName: "k", unlock: Passphrases.unlock("b"), wallClock: TestClock.machine)
        }
        #expect(
            try Replica.open(folder: data, unlock: Passphrases.unlock("a"), wallClock: TestClock.machine).keyring.deviceName
                == "k")
    }
}
