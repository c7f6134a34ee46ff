import Foundation
import RelaisHarness
import RelaisTestSupport
import Testing

/// A laptop restored from last week's copy never signs a number twice: it takes a new identity
/// first, and the team ends with every write once, those made before and after the backup and
/// after the restore.
@Suite(.serialized) struct BackupRestoreTests {
    let cli = CLIWorkspace()

    /// How many persons of each family name `data` lists.
    func familyNames(_ data: String) throws -> [String: Int] {
        let list = try cli.run(["person", "list", "--data", data, "--json"])
        let persons = try JSONSerialization.jsonObject(with: Data(list.utf8)) as? [[String: Any]] ?? []
        return persons.reduce(into: [:]) { counts, person in counts[person["family_name"] as? String ?? "", default: 0] += 1 }
    }

    @Test func aRestoredLaptopTakesANewIdentityAndNothingIsLostOrDuplicated() throws {
        let hub = try cli.startTeam(laptops: ["laptop", "other"])
        let (laptop, other, backup) = (cli.path("laptop"), cli.path("other"), cli.path("laptop.backup"))
        _ = try cli.run(["person", "add", "--data", laptop, "--set", "family_name=Avant"])
        // Backed up while its daemon runs.
        let daemon = try DaemonProcess(data: laptop, logFolder: cli.folder.path)
        #expect(try cli.run(["backup", "--data", laptop, "--out", backup]).contains("Backed up"))
        daemon.stop()
        _ = try cli.run(["person", "add", "--data", laptop, "--set", "family_name=Pendant"])
        _ = try cli.run(["sync", "--data", laptop, "--peer", hub.address])

        // The disk dies; last week's copy comes back.
        try FileManager.default.removeItem(atPath: laptop)
        #expect(try cli.run(["restore", "--data", laptop, backup]).contains("rotate-device-key"))
        let refused = try cli.relais.run(["person", "add", "--data", laptop, "--set", "family_name=Apres"])
        #expect(refused.status == 1 && refused.error.contains("restored"), "\(refused.error)")
        _ = try cli.run(["rotate-device-key", "--data", laptop, "--hub", hub.address])
        _ = try cli.run(["person", "add", "--data", laptop, "--set", "family_name=Apres"])
        _ = try cli.run(["sync", "--data", laptop, "--peer", hub.address])
        _ = try cli.run(["sync", "--data", other, "--peer", hub.address])

        let expected = ["Avant": 1, "Pendant": 1, "Apres": 1]
        for data in [cli.path("hub"), other, laptop] {
            if data == laptop { _ = try cli.run(["sync", "--data", laptop, "--peer", hub.address]) }
            #expect(try familyNames(data) == expected, "\(data)")
        }
        let status = try cli.run(["status", "--data", cli.path("hub"), "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(status.utf8)) as? [String: Any]
        #expect((object?["equivocations"] as? [Any])?.isEmpty == true, "no number was signed twice: \(status)")
    }

    /// The admin hub restored: it learns the newest roster from a peer first, then certifies its
    /// own new identity; the laptops accept what it signs from then on.
    @Test func aRestoredAdminHubCertifiesItsOwnNewIdentity() throws {
        let first = try cli.startTeam(laptops: ["laptop"])
        let (hub, laptop, backup) = (cli.path("hub"), cli.path("laptop"), cli.path("hub.backup"))
        _ = try cli.run(["backup", "--data", hub, "--out", backup])
        _ = try cli.run(["person", "add", "--data", hub, "--set", "family_name=Avant"])
        _ = try cli.run(["sync", "--data", laptop, "--peer", first.address])
        first.stop()

        try FileManager.default.removeItem(atPath: hub)
        _ = try cli.run(["restore", "--data", hub, backup])
        let relay = try DaemonProcess(data: laptop, logFolder: cli.folder.path)
        _ = try cli.run(["sync", "--data", hub, "--peer", relay.address])
        relay.stop()
        #expect(try cli.run(["rotate-device-key", "--data", hub]).contains("new keys"))
        _ = try cli.run(["person", "add", "--data", hub, "--set", "family_name=Apres"])
        let back = try DaemonProcess(data: hub, port: first.port, logFolder: cli.folder.path)
        _ = try cli.run(["sync", "--data", laptop, "--peer", back.address])
        #expect(try familyNames(laptop) == ["Avant": 1, "Apres": 1])
        #expect(try familyNames(hub) == ["Avant": 1, "Apres": 1])
    }

    /// A folder copied back by hand holds a new database file: it is refused before it signs
    /// anything, then takes a new identity and loses nothing.
    @Test func aFolderCopiedBackByHandSignsNothingUntilItHasANewIdentity() throws {
        let hub = try cli.startTeam(laptops: ["laptop"])
        let (laptop, copy) = (cli.path("laptop"), cli.path("copy"))
        _ = try cli.run(["person", "add", "--data", laptop, "--set", "family_name=Avant"])
        try FileManager.default.copyItem(atPath: laptop, toPath: copy)
        _ = try cli.run(["person", "add", "--data", laptop, "--set", "family_name=Pendant"])
        _ = try cli.run(["sync", "--data", laptop, "--peer", hub.address])
        try FileManager.default.removeItem(atPath: laptop)
        try FileManager.default.moveItem(atPath: copy, toPath: laptop)

        let refused = try cli.relais.run(["person", "add", "--data", laptop, "--set", "family_name=Apres"])
        #expect(refused.status == 1 && refused.error.contains("rotate-device-key"), "\(refused.error)")
        _ = try cli.run(["rotate-device-key", "--data", laptop, "--hub", hub.address])
        _ = try cli.run(["person", "add", "--data", laptop, "--set", "family_name=Apres"])
        _ = try cli.run(["sync", "--data", laptop, "--peer", hub.address])
        #expect(try familyNames(laptop) == ["Avant": 1, "Pendant": 1, "Apres": 1])
        #expect(try familyNames(cli.path("hub")) == ["Avant": 1, "Pendant": 1, "Apres": 1])
    }

    /// A disk rolled back in place (a VM snapshot) looks the same from inside: the first session
    /// shows it, since the peer holds more of the device's own changes than it does.
    @Test func aDiskRolledBackInPlaceIsFoundBehindAtTheNextSession() throws {
        let hub = try cli.startTeam(laptops: ["laptop"])
        let laptop = cli.path("laptop")
        _ = try cli.run(["person", "add", "--data", laptop, "--set", "family_name=Avant"])
        let snapshot = try DiskSnapshot(of: laptop)
        _ = try cli.run(["person", "add", "--data", laptop, "--set", "family_name=Pendant"])
        _ = try cli.run(["sync", "--data", laptop, "--peer", hub.address])
        try snapshot.rollBack()

        _ = try cli.run(["sync", "--data", laptop, "--peer", hub.address])
        let refused = try cli.relais.run(["person", "add", "--data", laptop, "--set", "family_name=Apres"])
        #expect(refused.status == 1 && refused.error.contains("rotate-device-key"), "\(refused.error)")
        #expect(try familyNames(laptop) == ["Avant": 1, "Pendant": 1], "the disk got back what it had lost")
    }

    /// A database that lost its last writes (its write-ahead log deleted) is behind the number
    /// the device last signed: refused before it signs any of them again.
    @Test func aDatabaseThatLostItsLastWritesSignsNothingUntilItHasANewIdentity() throws {
        let hub = try cli.startTeam(laptops: ["laptop"])
        let laptop = cli.path("laptop")
        _ = try cli.run(["person", "add", "--data", laptop, "--set", "family_name=Avant"])
        let snapshot = try DiskSnapshot(of: laptop, extent: .databaseOnly)
        _ = try cli.run(["person", "add", "--data", laptop, "--set", "family_name=Perdu"])
        try snapshot.rollBack()

        let refused = try cli.relais.run(["person", "add", "--data", laptop, "--set", "family_name=Apres"])
        #expect(refused.status == 1 && refused.error.contains("rotate-device-key"), "\(refused.error)")
        _ = try cli.run(["rotate-device-key", "--data", laptop, "--hub", hub.address])
        _ = try cli.run(["person", "add", "--data", laptop, "--set", "family_name=Apres"])
        _ = try cli.run(["sync", "--data", laptop, "--peer", hub.address])
        #expect(try familyNames(cli.path("hub")) == ["Avant": 1, "Apres": 1], "the lost write is lost, nothing is doubled")
    }

    @Test func backupsRefuseToOverwriteAndNeverLandInTheDataFolder() throws {
        _ = try cli.run(["init", "--data", cli.path("laptop")])
        let inside = try cli.relais.run(["backup", "--data", cli.path("laptop"), "--out", cli.path("laptop/keyring")])
        #expect(inside.status == 2 && inside.error.contains("inside the data folder"), "\(inside.error)")
        _ = FileManager.default.createFile(atPath: cli.path("old.backup"), contents: Data("keep".utf8))
        let existing = try cli.relais.run(["backup", "--data", cli.path("laptop"), "--out", cli.path("old.backup")])
        #expect(existing.status == 2 && existing.error.contains("--force"), "\(existing.error)")
        #expect(FileManager.default.contents(atPath: cli.path("old.backup")) == Data("keep".utf8))
        _ = try cli.run(["backup", "--data", cli.path("laptop"), "--out", cli.path("old.backup"), "--force"])
        let onto = try cli.relais.run(["restore", "--data", cli.path("laptop"), cli.path("old.backup")])
        #expect(onto.status == 2 && onto.error.contains("already holds a replica"), "\(onto.error)")
        let garbage = try cli.relais.run(["restore", "--data", cli.path("fresh"), cli.path("laptop/keyring")])
        #expect(garbage.status == 2 && garbage.error.contains("not a Relais backup"), "\(garbage.error)")
        #expect(!FileManager.default.fileExists(atPath: cli.path("fresh")))
    }
}
