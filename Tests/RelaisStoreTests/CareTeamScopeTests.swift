import RelaisCore
import RelaisHarness
import RelaisStore
import RelaisTestSupport
import Testing

/// Partial replication by care team, replica by replica: what each one stores, purges and fills.
@Suite struct CareTeamScopeStoreTests {
    let team: EnrolledTeam
    let nord: Replica
    let sud: Replica

    init() throws {
        team = try EnrolledTeam()
        nord = try team.enrol("nord")
        sud = try team.enrol("sud")
        _ = try team.hub.assignCareTeams(nord.keyring.device.hex, [try CareTeam("nord")])
        _ = try team.hub.assignCareTeams(sud.keyring.device.hex, [try CareTeam("sud")])
        for laptop in [nord, sud] { try team.deliver(from: team.hub, to: laptop) }
    }

    @Test func aLaptopOutsideAPersonsScopeStoresOnlyDigestsWhoeverSendsThem() throws {
        let person = try nord.addPerson(["family_name=Nordine"])
        try nord.addLinkedRecord(type: "visit", person: person.hex, set: ["kind=home_visit", "note=Seen at the market"])
        try team.deliver(from: nord, to: team.hub)
        try team.deliver(from: team.hub, to: sud)
        try team.deliver(from: nord, to: sud)

        #expect(try sud.versionVector == nord.versionVector, "vectors stay exact: every change arrives")
        #expect(try fullOperations(of: person, in: sud).isEmpty)
        // Not only dropped on arrival: never sent, by the hub or by a laptop of the other team.
        for sender in [team.hub, nord] {
            let sent = try sender.changes(missingFrom: VersionVector(), for: try sender.scopeReader(of: sud.keyring.device))
            #expect(Self.fullOperations(of: person, in: sent).isEmpty)
        }
        #expect(throws: StoreError.self) { try sud.personFile(person.hex) }
        #expect(try sud.listPersons().isEmpty)
        #expect(try team.hub.personFile(person.hex).linked.count == 1)
    }

    /// A file written straight into another team would be stored as digests at once: its content
    /// would reach no one. The write is refused; the hub, which holds every person, may do it.
    @Test func aLaptopCannotWriteAPersonIntoAnotherTeamsScope() throws {
        let before = try nord.versionVector
        #expect {
            try nord.addPerson(["family_name=Sudiste"], careTeams: [try CareTeam("sud")])
        } throws: { error in
            "\(error)".contains("not in care team sud") && "\(error)".contains("nord")
        }
        #expect(try nord.versionVector == before, "nothing was written")
        let person = try team.hub.addPerson(["family_name=Sudiste"], careTeams: [try CareTeam("sud")])
        try team.deliver(from: team.hub, to: sud)
        #expect(try sud.personFile(person.hex).fields.contains { $0.values == ["Sudiste"] })
    }

    @Test func aMovedPersonIsPurgedOnceAHubHoldsItsChangesAndFilledInOnTheNewTeam() throws {
        let person = try nord.addPerson(["family_name=Nordine"])
        try team.deliver(from: nord, to: team.hub)
        try team.deliver(from: team.hub, to: sud)
        // Written on nord after the hub last heard from it: only nord has it.
        try nord.updatePerson(person.hex, set: ["phone=0600000001"], unset: [])
        try team.hub.movePerson(person.hex, to: [try CareTeam("sud")])

        try team.deliver(from: team.hub, to: nord)
        #expect(throws: StoreError.self) { try nord.personFile(person.hex) }
        #expect(!(try fullOperations(of: person, in: nord).isEmpty), "kept until a hub holds them")
        try team.deliver(from: nord, to: team.hub)
        try nord.rememberVector(try team.hub.versionVector, of: team.hub.keyring.device)
        #expect(try fullOperations(of: person, in: nord).isEmpty)

        try team.deliver(from: team.hub, to: sud)
        #expect(try sud.awaitingPersons(limit: 10) == [person])
        #expect {
            try sud.personFile(person.hex)
        } throws: { error in
            if case StoreError.awaitingFile = error { true } else { false }
        }
        let fill = try team.hub.fillChanges(
            of: [person], for: try team.hub.scopeReader(of: sud.keyring.device), bytesMax: .max)
        #expect(try sud.fill(fill) == [person])
        let file = try sud.personFile(person.hex)
        #expect(!file.incomplete)
        #expect(file.careTeams == ["sud"])
        #expect(file.fields.contains { $0.name == "phone" && $0.values == ["0600000001"] })
        #expect(try sud.awaitingPersons(limit: 10).isEmpty)
    }

    @Test func aFillThatDoesNotMatchTheSignedDigestsIsIgnored() throws {
        let person = try nord.addPerson(["family_name=Nordine"])
        try team.deliver(from: nord, to: team.hub)
        try team.deliver(from: team.hub, to: sud)
        try team.hub.movePerson(person.hex, to: [try CareTeam("sud")])
        try team.deliver(from: team.hub, to: sud)
        // A forged fill: another person's creation in place of the redacted operations.
        let other = try nord.addPerson(["family_name=Autre"])
        let forged = try nord.changes(missingFrom: VersionVector()).filter { $0.slots.contains { $0.person == other } }
        #expect(try sud.fill(forged).isEmpty)
        #expect(try sud.awaitingPersons(limit: 10) == [person])
    }

    @Test func aLaptopMovedAwayAndBackBeforeSyncingLosesNothingItWrote() throws {
        let person = try nord.addPerson(["family_name=Nordine"])
        _ = try team.hub.assignCareTeams(nord.keyring.device.hex, [try CareTeam("sud")])
        try team.deliver(from: team.hub, to: nord)
        #expect(throws: StoreError.self) { try nord.personFile(person.hex) }
        _ = try team.hub.assignCareTeams(nord.keyring.device.hex, [try CareTeam("nord")])
        try team.deliver(from: team.hub, to: nord)
        let file = try nord.personFile(person.hex)
        #expect(file.fields.contains { $0.name == "family_name" && $0.values == ["Nordine"] })
        #expect(try nord.searchPersons("nord").map(\.id) == [person.hex])
    }

    /// The operations of `person` a replica stores in full, beyond its scopes and erasures.
    private func fullOperations(of person: RecordID, in replica: Replica) throws -> [RelaisCore.Operation] {
        Self.fullOperations(of: person, in: try replica.changes(missingFrom: VersionVector()))
    }

    private static func fullOperations(of person: RecordID, in changes: [Change]) -> [RelaisCore.Operation] {
        changes.flatMap { change in
            change.slots.compactMap { slot -> RelaisCore.Operation? in
                guard slot.carriesOperation(of: person), case .operation(let operation) = slot else { return nil }
                return operation
            }
        }
    }
}
