import Foundation
import GRDB
import RelaisCore
import RelaisHarness
import RelaisStore
import RelaisTestSupport
import Testing

/// THREAT-MODEL.md promises that damaged data is unreadable, never wrong. Each byte of a small
/// replica is flipped in turn (one bit, a different one each byte): every outcome must be "reads
/// as before" or "reported damaged", by the read itself or by `relais check`; never silently
/// different. `make test` flips every 37th byte; `make soak` (RELAIS_FLIP_STRIDE=1) every byte.
@Suite struct ByteFlipTests {
    static let stride = Int(ProcessInfo.processInfo.environment["RELAIS_FLIP_STRIDE"] ?? "") ?? 37
    let folder = TemporaryFolder()

    /// What a user can see of the replica, damage markers included.
    struct Observation: Equatable {
        var persons: [PersonSummary] = []
        var files: [String: Result<PersonFile, StoreError>] = [:]
        var search: [PersonSummary] = []

        static func == (lhs: Observation, rhs: Observation) -> Bool {
            lhs.persons == rhs.persons && lhs.search == rhs.search
                && lhs.files.mapValues { try? $0.get() } == rhs.files.mapValues { try? $0.get() }
        }

        /// Whether the reads themselves say something is damaged.
        var showsDamage: Bool {
            persons.contains(where: \.damaged) || search.contains(where: \.damaged)
                || files.values.contains { file in
                    guard let file = try? file.get() else { return true }
                    return file.fields.contains(where: \.unreadable) || file.linked.contains { $0.damaged }
                }
        }
    }

    static func observe(_ replica: Replica, ids: [String]) -> Observation {
        var observation = Observation()
        observation.persons = (try? replica.listPersons()) ?? []
        observation.search = (try? replica.searchPersons("diallo")) ?? []
        for id in ids { observation.files[id] = Result { () throws(StoreError) in try replica.personFile(id) } }
        return observation
    }

    /// A replica with a little of everything a file holds: names, dates, a list field, visits, a
    /// conflict from another device, a merged duplicate and an erased person; in small pages, so
    /// that every byte can be flipped in the time of a test.
    func smallReplica(unlock: KeyringUnlock) throws -> (path: String, ids: [String]) {
        let data = folder.path + "/data"
        var ids: [String] = []
        do {
            let replica = try Replica.create(folder: data, deviceName: "terrain", unlock: unlock, wallClock: TestClock.machine)
            _ = try replica.createTeam()
            let keyring = Keyring.generate(deviceName: "autre")
            let other = try Replica.inMemory(keyring: keyring, wallClock: TestClock.machine)
            try other.join(try replica.enrolDirectly(keyring))
            let awa = try replica.addPerson(["family_name=Diallo", "given_names=Awa", "birth_date=1990-04-02", "languages=fr,wo"])
            let duplicate = try replica.addPerson(["family_name=Diallo", "given_names=A."])
            let leo = try replica.addPerson(["family_name=Martin", "given_names=Léo"])
            let erased = try replica.addPerson(["family_name=Effacé"])
            try replica.addLinkedRecord(type: "visit", person: awa.hex, set: ["date=2026-11-02", "note=premier contact"])
            try other.apply(remote: try replica.changes(missingFrom: other.versionVector))
            _ = try other.adoptRoster(try replica.teamState!.roster.encoded)
            try other.updatePerson(leo.hex, set: ["given_names=Léon"], unset: [])
            try replica.updatePerson(leo.hex, set: ["given_names=Leo"], unset: [])
            try replica.apply(remote: try other.changes(missingFrom: replica.versionVector))
            try replica.merge(keep: awa.hex, duplicate: duplicate.hex)
            _ = try replica.erase(erased.hex)
            try replica.checkpoint()
            ids = [awa.hex, leo.hex]
        }
        let path = data + "/replica.sqlite"
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = DELETE; PRAGMA page_size = 512; VACUUM; PRAGMA journal_mode = WAL")
        }
        try queue.close()
        return (data, ids)
    }

    @Test func everyFlippedByteReadsAsBeforeOrIsReportedDamaged() throws {
        var keyFile = KeyringUnlock.newKeyFileContent()
        let unlock = try KeyringUnlock.keyFile(&keyFile)
        let (data, ids) = try smallReplica(unlock: unlock)
        let path = data + "/replica.sqlite"
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let expected: Observation
        do {
            let replica = try Replica.open(folder: data, unlock: unlock, wallClock: TestClock.machine)
            expected = Self.observe(replica, ids: ids)
            #expect(!expected.showsDamage && expected.persons.count == 2, "\(expected.persons)")
            let report = try replica.check()
            #expect(report.isSound, "\(report.damages)")
        }
        var outcomes: [String: Int] = [:]
        var silent: [Int] = []
        for offset in Swift.stride(from: 0, to: original.count, by: Self.stride) {
            var bytes = original
            bytes[offset] ^= 1 << UInt8(offset % 8)
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            try bytes.write(to: URL(fileURLWithPath: path))
            let outcome = Self.outcome(data: data, unlock: unlock, ids: ids, expected: expected)
            outcomes[outcome, default: 0] += 1
            if outcome == "silently different" { silent.append(offset) }
        }
        #expect(silent.isEmpty, "offsets \(silent.prefix(20)) of \(original.count) changed what reads show, unreported")
        print("byte flips of a \(original.count)-byte replica, every \(Self.stride): \(outcomes.sorted { $0.key < $1.key })")
    }

    static func outcome(data: String, unlock: KeyringUnlock, ids: [String], expected: Observation) -> String {
        let replica: Replica
        do { replica = try Replica.open(folder: data, unlock: unlock, wallClock: TestClock.machine) } catch {
            return "refused to open: \(error)"
        }
        let seen = observe(replica, ids: ids)
        if seen == expected { return "read as before" }
        if seen.showsDamage { return "shown damaged where read" }
        guard let report = try? replica.check() else { return "check refused" }
        return report.isSound ? "silently different" : "reported by check"
    }
}
