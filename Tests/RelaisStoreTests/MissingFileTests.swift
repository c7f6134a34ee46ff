import RelaisHarness
import Foundation
import RelaisStore
import RelaisTestSupport
import Testing

/// A data folder missing its replica or its keyring is an error that says how to recover, never a
/// fresh start: a new empty replica would sign numbers the team already holds, and a new keyring
/// would make the replica unreadable for good.
@Suite struct MissingFileTests {
    let folder = TemporaryFolder()

    func folderWithOnePerson() throws -> String {
        let data = folder.path + "/data"
        do {
            let replica = try Replica.create(
                folder: data, deviceName: "k", unlock: Passphrases.unlock("right"), wallClock: TestClock.machine)
            try replica.addPerson(["family_name=Dupont"])
            try replica.checkpoint()
        }
        return data
    }

    func openError(_ data: String) throws -> StoreError? {
        do {
            _ = try Replica.open(folder: data, unlock: Passphrases.unlock("right"), wallClock: TestClock.machine)
            return nil
        } catch let error as StoreError {
            return error
        }
    }

    @Test(arguments: ["deleted", "emptied"])
    func aMissingOrEmptyReplicaIsAnErrorNotAFreshStart(how: String) throws {
        let data = try folderWithOnePerson()
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: data + "/replica.sqlite" + suffix) }
        if how == "deleted" {
            try FileManager.default.removeItem(atPath: data + "/replica.sqlite")
        } else {
            try Data().write(to: URL(fileURLWithPath: data + "/replica.sqlite"))
        }
        let error = try #require(try openError(data))
        guard case .replicaMissing = error else { Issue.record("\(error)"); return }
        #expect(error.description.contains("relais restore") && !error.description.contains("\n"))
        #expect(!FileManager.default.fileExists(atPath: data + "/replica.sqlite-wal"), "nothing was created in its place")
    }

    @Test func aMissingKeyringIsNeverReplacedByInit() throws {
        let data = try folderWithOnePerson()
        let keyring = try Data(contentsOf: URL(fileURLWithPath: data + "/keyring"))
        try FileManager.default.removeItem(atPath: data + "/keyring")
        let error = try #require(try openError(data))
        guard case .keyringMissing = error else { Issue.record("\(error)"); return }
        #expect(error.description.contains("do not run 'relais init'"))
        #expect(throws: StoreError.self) {
            _ = try Replica.create(
                folder: data, deviceName: "k", unlock: Passphrases.unlock("other"), wallClock: TestClock.machine)
        }
        #expect(!FileManager.default.fileExists(atPath: data + "/keyring"), "init left the folder as it was")
        try keyring.write(to: URL(fileURLWithPath: data + "/keyring"))
        #expect(
            try Replica.open(folder: data, unlock: Passphrases.unlock("right"), wallClock: TestClock.machine).listPersons().count
                == 1)
    }
}
