import Foundation
import GRDB
import RelaisCore
import RelaisHarness
import RelaisStore
import RelaisTestSupport
import Testing

/// `check` finds what is damaged; `repair` mends the derived state from the changes, and a damaged
/// change from a peer's copy (changes are signed, so any peer's copy is as good).
@Suite struct RepairTests {
    let folder = TemporaryFolder()
    let team: EnrolledTeam
    let unlock: KeyringUnlock

    init() throws {
        team = try EnrolledTeam()
        var keyFile = KeyringUnlock.newKeyFileContent()
        unlock = try KeyringUnlock.keyFile(&keyFile)
    }

    /// A laptop on disk in the hub's team, with one person, a visit, and everything delivered.
    func laptop() throws -> (data: String, person: String, file: PersonFile) {
        let data = folder.path + "/data"
        let replica = try Replica.create(folder: data, deviceName: "terrain", unlock: unlock, wallClock: TestClock.machine)
        try replica.join(try team.hub.enrolDirectly(replica.keyring))
        let person = try replica.addPerson(["family_name=Diallo", "given_names=Awa", "languages=fr,wo"]).hex
        try replica.addLinkedRecord(type: "visit", person: person, set: ["date=2026-11-02", "note=premier contact"])
        try replica.updatePerson(person, set: ["phone=0600000001"], unset: [])
        try team.deliver(from: replica, to: team.hub)
        try replica.rememberVector(try team.hub.versionVector, of: team.hub.keyring.device)
        try replica.checkpoint()
        return (data, person, try replica.personFile(person))
    }

    func damage(_ data: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: data + "/replica.sqlite")
        try queue.write { try $0.execute(sql: sql) }
        try queue.close()
    }

    @Test func aDamagedFileIsReportedThenRebuiltFromItsChanges() throws {
        let (data, person, before) = try laptop()
        try damage(
            data,
            """
            UPDATE registers SET state = zeroblob(length(state)) WHERE record = (SELECT record FROM registers LIMIT 1)
                AND field = (SELECT field FROM registers LIMIT 1);
            UPDATE records SET deleted = 1 WHERE id != person;
            DELETE FROM search_tokens;
            """)
        let replica = try Replica.open(folder: data, unlock: unlock, wallClock: TestClock.machine)
        let report = try replica.check()
        #expect(report.damages.contains { $0.kind == .derivedState && $0.what.contains(person) })
        #expect(report.damages.allSatisfy { $0.repairable }, "\(report.damages)")
        #expect(try replica.searchPersons("diallo").isEmpty, "the damaged index hides the person")

        let repair = try replica.repair()
        #expect(repair.after.isSound, "\(repair.after.damages)")
        #expect(repair.changesToFetch == 0 && repair.changesLost == 0)
        #expect(try replica.personFile(person) == before)
        #expect(try replica.searchPersons("diallo").map(\.id) == [person])
    }

    @Test func aDamagedChangeIsSetAsideThenReplacedByAPeersCopy() throws {
        let (data, person, before) = try laptop()
        try damage(data, "UPDATE changes SET body = substr(body, 1, 40) || X'00' || substr(body, 42) WHERE sequence = 2")
        let replica = try Replica.open(folder: data, unlock: unlock, wallClock: TestClock.machine)
        let report = try replica.check()
        #expect(report.damages.map(\.kind) == [.change], "\(report.damages)")

        let repair = try replica.repair()
        #expect(repair.changesToFetch == 1 && repair.changesLost == 0)
        #expect(repair.after.isSound, "\(repair.after.damages)")
        #expect(try replica.personFile(person).incomplete, "the file says it awaits the change")
        let awaiting = try replica.awaitingPersons(limit: 10)
        #expect(awaiting.map(\.hex) == [person])

        let fill = try team.hub.fillChanges(
            of: awaiting, for: try team.hub.scopeReader(of: replica.keyring.device), bytesMax: .max)
        #expect(try replica.fill(fill).map(\.hex) == [person])
        #expect(try replica.personFile(person) == before)
        #expect(try replica.check().isSound)
    }

    @Test func aDamagedChangeNoPeerReceivedIsSaidLost() throws {
        let (data, person, _) = try laptop()
        do {
            let replica = try Replica.open(folder: data, unlock: unlock, wallClock: TestClock.machine)
            try replica.updatePerson(person, set: ["phone=0600000002"], unset: [])
            try replica.checkpoint()
        }
        try damage(data, "UPDATE changes SET body = substr(body, 1, 40) || X'00' || substr(body, 42) WHERE sequence = 4")
        let replica = try Replica.open(folder: data, unlock: unlock, wallClock: TestClock.machine)
        let repair = try replica.repair()
        #expect(repair.changesLost == 1 && repair.changesToFetch == 0)
        #expect(repair.after.isSound, "\(repair.after.damages)")
        let phone = try replica.personFile(person).fields.first { $0.name == "phone" }
        #expect(phone?.values == ["0600000001"], "the file is what the remaining changes say")
    }
}
