import RelaisCore
import RelaisHarness
import RelaisStore
import RelaisSync
import RelaisTestSupport
import Testing

/// Laptops are updated months apart: a node on schema version 1 meets nodes on version 2 in
/// real sessions, keeps and relays what it cannot show, and says so (SPEC.md §6).
@Suite struct MixedSchemaTests {
    /// Replica 0 and 2 run version 2; replica 1 still runs version 1, and is the only one the
    /// third meets.
    private func group() throws -> ReplicaGroup { try ReplicaGroup(count: 3, schemas: [.bundled, .version1, .bundled]) }

    private func sync(_ a: Replica, _ b: Replica) async throws {
        var session = try SimulatedSession(initiator: a, responder: b)
        let outcome = try await session.run()
        #expect(outcome.initiator == .completed)
        #expect(outcome.responder == .completed)
    }

    @Test func anOldNodeKeepsShowsAndRelaysNewerData() async throws {
        let group = try group()
        let (new, old, other) = (group.replicas[0], group.replicas[1], group.replicas[2])
        let partner = try new.addOrganisationRecord(
            type: "partner", set: ["name=PASS de Purpan", "kind=pass", "languages=fr,ar", "accepts_new_patients=yes"])
        let person = try new.addPerson(["family_name=Diallo", "given_names=Awa"]).hex
        try new.addLinkedRecord(
            type: "visit", person: person, set: ["date=2026-11-02", "kind=interview", "interpreter_mode=phone"])
        try new.addLinkedRecord(
            type: "rights_episode", person: person, set: ["scheme=ame", "state=filed", "filed=2026-11-02"])
        try new.addLinkedRecord(
            type: "referral", person: person, set: ["to=pass", "partner=\(partner.hex)", "date=2026-11-02"])

        try await sync(new, old)
        // The old node shows the person, not the partner, and says the file holds more.
        #expect(try old.listPersons().map(\.id) == [person])
        let oldFile = try old.personFile(person)
        #expect(oldFile.newer)
        let visit = try #require(oldFile.linked.first { $0.type == "visit" })
        #expect(visit.newer)
        #expect(visit.fields.map(\.name) == ["date", "kind"])
        #expect(oldFile.linked.contains { $0.type == "rights_episode" && $0.newer && $0.fields.isEmpty })
        #expect(try old.newerOrganisationRecords() == 1)
        #expect(throws: StoreError.self) { try old.addOrganisationRecord(type: "partner", set: ["name=X"]) }
        #expect(try old.check().isSound)
        // It writes what it knows, in the same file.
        try old.updatePerson(person, set: ["phone=0611223344"], unset: [])
        try old.addLinkedRecord(type: "visit", person: person, set: ["date=2026-11-20", "kind=phone_call"])

        // The third node meets only the old one, and gets every newer field through it, signed.
        try await sync(old, other)
        let otherFile = try other.personFile(person)
        #expect(!otherFile.newer)
        #expect(otherFile.fields.first { $0.name == "phone" }?.values == ["0611223344"])
        #expect(otherFile.linked.count == 4)
        let relayed = try #require(otherFile.linked.first { $0.fields.contains { $0.name == "interpreter_mode" } })
        #expect(relayed.fields.first { $0.name == "interpreter_mode" }?.values == ["phone"])
        #expect(
            otherFile.linked.first { $0.type == "referral" }?.fields.first { $0.name == "partner" }?.values == [partner.hex])
        let partners = try other.organisationRecords(type: "partner")
        #expect(partners.map(\.id) == [partner.hex])
        #expect(partners[0].fields.first { $0.name == "languages" }?.values == ["ar", "fr"])

        // Back to the first node: the three agree on everything each can show.
        try await sync(other, new)
        #expect(try new.snapshot() == other.snapshot())
        #expect(try new.organisationRecords(type: "partner") == other.organisationRecords(type: "partner"))
        try await sync(new, old)
        #expect(try old.versionVector == new.versionVector)
        #expect(try old.listPersons() == new.listPersons())
    }

    @Test func aNewNodeReadsWhatAnOldNodeWrote() async throws {
        let group = try group()
        let (new, old) = (group.replicas[0], group.replicas[1])
        let person = try old.addPerson(["family_name=Rus", "rights_ame_state=filed"]).hex
        try old.addLinkedRecord(type: "appointment", person: person, set: ["date=2026-12-01", "with=Dr Martin"])
        try await sync(old, new)
        let file = try new.personFile(person)
        #expect(!file.newer)
        #expect(file.fields.first { $0.name == "rights_ame_state" }?.values == ["filed"])
        #expect(file.linked.first?.fields.first { $0.name == "with" }?.values == ["Dr Martin"])
        #expect(try new.snapshot() == old.snapshot())
        // Version 2 no longer writes the rights on the person (episodes hold them), but clears them.
        let refused = #expect(throws: StoreError.self) { try new.updatePerson(person, set: ["rights_ame_state=open"], unset: []) }
        #expect(refused?.description.contains("write a rights_episode record instead") == true, "\(String(describing: refused))")
        try new.updatePerson(person, set: [], unset: ["rights_ame_state"])
        #expect(try new.personFile(person).fields.first { $0.name == "rights_ame_state" } == nil)
    }
}
