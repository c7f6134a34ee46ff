import RelaisCore
import RelaisHarness
import RelaisStore
import RelaisTestSupport
import Testing

/// The team's own records (the directory, collective sessions) merge like a person's file: two
/// offline edits of one partner both stay visible until settled, and a deletion wins.
@Suite struct TeamRecordTests {
    @Test func concurrentEditsOfAPartnerConflictThenSettleEverywhere() throws {
        let group = try ReplicaGroup(count: 2)
        let (a, b) = (group.replicas[0], group.replicas[1])
        var random = SeededGenerator(seed: 18)
        let partner = try a.addOrganisationRecord(type: "partner", set: ["name=CSAPA Arc-en-ciel", "phone=05 61 00 00 01"]).hex
        try group.deliverAll(from: 0, to: 1, using: &random)
        try a.updateOrganisationRecord(partner, type: "partner", set: ["phone=05 61 00 00 02"])
        try b.updateOrganisationRecord(partner, type: "partner", set: ["phone=05 61 00 00 03", "accepts_new_patients=no"])
        try group.deliverAll(from: 0, to: 1, using: &random)
        try group.deliverAll(from: 1, to: 0, using: &random)
        let conflicts = try a.conflicts()
        #expect(conflicts.map { "\($0.type).\($0.field)" } == ["partner.phone"])
        #expect(try a.conflicts() == b.conflicts())
        #expect(try a.listPersons().isEmpty, "a partner is no person")

        try b.resolveConflict(record: partner, field: "phone", value: "05 61 00 00 03")
        try group.deliverAll(from: 1, to: 0, using: &random)
        #expect(try a.conflicts().isEmpty)
        let shown = try a.organisationRecord(partner, type: "partner")
        #expect(shown.fields.first { $0.name == "phone" }?.values == ["05 61 00 00 03"])
        #expect(shown.fields.first { $0.name == "accepts_new_patients" }?.values == ["no"])
        #expect(try a.organisationRecords(type: "partner") == b.organisationRecords(type: "partner"))

        try a.deleteOrganisationRecord(partner, type: "partner")
        try b.updateOrganisationRecord(partner, type: "partner", set: ["notes=Fermé en août"])
        try group.deliverAll(from: 0, to: 1, using: &random)
        try group.deliverAll(from: 1, to: 0, using: &random)
        #expect(try a.organisationRecords(type: "partner").isEmpty)
        #expect(try b.organisationRecords(type: "partner").isEmpty)
    }

    @Test func aTeamRecordIsNoPersonAndAPersonIsNoTeamRecord() throws {
        let replica = try ReplicaGroup(count: 1).replicas[0]
        let session = try replica.addOrganisationRecord(type: "collective_session", set: ["date=2026-11-30", "persons_met=14"])
            .hex
        let person = try replica.addPerson(["family_name=Haddad"]).hex
        #expect(throws: StoreError.self) { try replica.personFile(session) }
        #expect(throws: StoreError.self) { try replica.organisationRecord(person, type: "collective_session") }
        #expect(throws: StoreError.self) { try replica.organisationRecord(session, type: "partner") }
        #expect(throws: StoreError.self) { try replica.addOrganisationRecord(type: "visit", set: ["date=2026-11-30"]) }
        #expect(throws: StoreError.self) { try replica.addLinkedRecord(type: "partner", person: person, set: ["name=X"]) }
        #expect(try replica.listPersons().map(\.id) == [person])
        #expect(try replica.searchPersons("Haddad").map(\.id) == [person])
        #expect(try replica.check().isSound)
    }

    /// A household link is written on both files, each naming the other, the relation turned round.
    @Test func aHouseholdLinkShowsOnBothFiles() throws {
        let replica = try ReplicaGroup(count: 1).replicas[0]
        let mother = try replica.addPerson(["family_name=Stoica", "given_names=Ana"]).hex
        let son = try replica.addPerson(["family_name=Stoica", "given_names=Mihai"]).hex
        try replica.addLinkedRecord(type: "household_link", person: mother, set: ["relation=child", "other=\(son)"])
        func link(_ person: String) throws -> [String: [String]] {
            let record = try #require(try replica.personFile(person).linked.first { $0.type == "household_link" })
            return Dictionary(uniqueKeysWithValues: record.fields.map { ($0.name, $0.values) })
        }
        #expect(try link(mother) == ["relation": ["child"], "other": [son]])
        #expect(try link(son) == ["relation": ["parent"], "other": [mother]])
        #expect(throws: StoreError.self) {
            try replica.addLinkedRecord(type: "household_link", person: mother, set: ["relation=spouse", "other=\(mother)"])
        }
        #expect(throws: StoreError.self) {
            try replica.addLinkedRecord(type: "household_link", person: mother, set: ["relation=spouse"])
        }
    }

    /// Corrected or deleted on one file, a household link is corrected or deleted on the other.
    @Test func aHouseholdLinkIsCorrectedAndDeletedOnBothFiles() throws {
        let replica = try ReplicaGroup(count: 1).replicas[0]
        let mother = try replica.addPerson(["family_name=Stoica", "given_names=Ana"]).hex
        let son = try replica.addPerson(["family_name=Stoica", "given_names=Mihai"]).hex
        let neighbour = try replica.addPerson(["family_name=Popa"]).hex
        let link = try replica.addLinkedRecord(type: "household_link", person: mother, set: ["relation=child", "other=\(son)"])
        try replica.addLinkedRecord(type: "household_link", person: neighbour, set: ["relation=other", "other=\(son)"])
        func links(_ person: String) throws -> [[String: [String]]] {
            try replica.personFile(person).linked.filter { $0.type == "household_link" }.map { record in
                Dictionary(uniqueKeysWithValues: record.fields.map { ($0.name, $0.values) })
            }
        }
        try replica.updateLinkedRecord(
            link.hex, type: "household_link", set: ["relation=parent", "note=erreur de saisie", "other=\(son)"])
        #expect(try links(mother) == [["relation": ["parent"], "other": [son], "note": ["erreur de saisie"]]])
        let sons = try links(son)
        #expect(sons.contains(["relation": ["child"], "other": [mother], "note": ["erreur de saisie"]]), "\(sons)")
        #expect(sons.contains(["relation": ["other"], "other": [neighbour]]), "the neighbour's link is another link")
        #expect(throws: StoreError.self) {
            try replica.updateLinkedRecord(link.hex, type: "household_link", set: ["other=\(neighbour)"])
        }

        try replica.deleteLinkedRecord(link.hex, type: "household_link")
        #expect(try links(mother).isEmpty)
        #expect(try links(son) == [["relation": ["other"], "other": [neighbour]]])
    }
}
