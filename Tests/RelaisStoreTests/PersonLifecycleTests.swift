import RelaisCore
import RelaisHarness
import RelaisStore
import RelaisTestSupport
import Testing

@Suite struct PersonLifecycleTests {
    @Test func concurrentEditsAreBothKeptUntilAPersonSettlesThem() throws {
        let group = try ReplicaGroup(count: 2)
        let (a, b) = (group.replicas[0], group.replicas[1])
        var generator = SeededGenerator(seed: 1)
        let person = try a.addPerson(["family_name=Diallo", "birth_date=1985"]).hex
        try group.deliverAll(from: 0, to: 1, using: &generator)
        try a.updatePerson(person, set: ["birth_date=1986"], unset: [])
        try b.updatePerson(person, set: ["birth_date=1987"], unset: [])
        try group.converge(using: &generator)
        let field = try a.personFile(person).fields.first { $0.name == "birth_date" }!
        #expect(field.inConflict)
        #expect(Set(field.candidates.compactMap(\.value)) == ["1986", "1987"])
        #expect(try a.conflicts() == b.conflicts())
        #expect(try a.conflicts().count == 1)

        try b.resolveConflict(record: person, field: "birth_date", value: "1986")
        try group.converge(using: &generator)
        #expect(try a.conflicts().isEmpty)
        #expect(try a.personFile(person).fields.first { $0.name == "birth_date" }?.values == ["1986"])
    }

    @Test func aVisitIsCorrectedAfterItWasWrittenAndConcurrentCorrectionsAreBothKept() throws {
        let group = try ReplicaGroup(count: 2)
        let (a, b) = (group.replicas[0], group.replicas[1])
        var generator = SeededGenerator(seed: 11)
        let person = try a.addPerson(["family_name=Diallo"]).hex
        let visit = try a.addLinkedRecord(type: "visit", person: person, set: ["date=2026-11-30", "kind=interview"]).hex
        try group.deliverAll(from: 0, to: 1, using: &generator)
        try a.updateLinkedRecord(visit, type: "visit", set: ["note=TROD proposé", "kind=home_visit"])
        try b.updateLinkedRecord(visit, type: "visit", set: ["kind=phone_call"])
        try group.converge(using: &generator)
        let fields = try a.linkedRecords(of: person, type: "visit")[0].fields
        #expect(fields.first { $0.name == "note" }?.values == ["TROD proposé"])
        #expect(fields.first { $0.name == "kind" }?.inConflict == true)
        try a.resolveConflict(record: visit, field: "kind", value: "home_visit")
        try group.converge(using: &generator)
        #expect(try b.linkedRecords(of: person, type: "visit")[0].fields.first { $0.name == "kind" }?.values == ["home_visit"])
        try a.updateLinkedRecord(visit, type: "visit", set: [], unset: ["note"])
        #expect(try a.linkedRecords(of: person, type: "visit")[0].fields.first { $0.name == "note" }?.values.isEmpty ?? true)

        #expect(throws: StoreError.self) { try a.updateLinkedRecord(person, type: "visit", set: ["note=x"]) }
        #expect(throws: StoreError.self) { try a.updateLinkedRecord(visit, type: "referral", set: ["reason=x"]) }
        #expect(throws: StoreError.self) { try a.updateLinkedRecord(visit, type: "visit", set: ["kind=nonsense"]) }
        try a.deleteLinkedRecord(visit, type: "visit")
        #expect(throws: StoreError.self) { try a.updateLinkedRecord(visit, type: "visit", set: ["note=x"]) }
    }

    @Test func setsAreAddWins() throws {
        let group = try ReplicaGroup(count: 2)
        let (a, b) = (group.replicas[0], group.replicas[1])
        var generator = SeededGenerator(seed: 2)
        let person = try a.addPerson(["family_name=Popescu", "languages=ro"]).hex
        try group.deliverAll(from: 0, to: 1, using: &generator)
        try a.updatePerson(person, set: ["languages=fr"], unset: [])
        try b.updatePerson(person, set: ["languages=ro,en"], unset: [])
        try group.converge(using: &generator)
        #expect(try a.personFile(person).fields.first { $0.name == "languages" }?.values == ["en", "fr"])
    }

    @Test func mergeShowsTheDuplicateUnderTheKeptPersonAndUnmergeUndoesIt() throws {
        let replica = try Replica.inMemory(keyring: Keyring.generate(deviceName: "m"), wallClock: TestClock.machine)
        let keep = try replica.addPerson(["family_name=Diallo", "birth_date=1985"]).hex
        let duplicate = try replica.addPerson(["family_name=Diallo", "birth_date=1986", "phone=0600000000"]).hex
        try replica.addLinkedRecord(type: "visit", person: duplicate, set: ["date=2026-11-01", "kind=interview"])
        try replica.merge(keep: keep, duplicate: duplicate)

        let merged = try replica.personFile(duplicate)
        #expect(merged.id == keep)
        #expect(merged.mergedFrom == [duplicate])
        #expect(merged.linked.count == 1)
        #expect(merged.fields.first { $0.name == "phone" }?.values == ["0600000000"])
        #expect(merged.fields.first { $0.name == "birth_date" }?.inConflict == true)
        #expect(try replica.listPersons().map(\.id) == [keep])
        #expect(throws: StoreError.self) { try replica.merge(keep: duplicate, duplicate: keep) }

        try replica.unmerge(duplicate)
        #expect(try replica.listPersons().count == 2)
        #expect(try replica.personFile(duplicate).linked.count == 1)
        #expect(try replica.personFile(keep).linked.isEmpty)
        #expect(throws: StoreError.self) { try replica.unmerge(duplicate) }
    }

    @Test func concurrentMergesIntoEachOtherConverge() throws {
        let group = try ReplicaGroup(count: 2)
        let (a, b) = (group.replicas[0], group.replicas[1])
        var generator = SeededGenerator(seed: 3)
        let first = try a.addPerson(["family_name=A"]).hex
        let second = try a.addPerson(["family_name=B"]).hex
        try group.deliverAll(from: 0, to: 1, using: &generator)
        try a.merge(keep: first, duplicate: second)
        try b.merge(keep: second, duplicate: first)
        try group.converge(using: &generator)
        #expect(try a.snapshot() == b.snapshot())
        #expect(try a.listPersons().count == 1)
    }

    @Test func anErasedPersonNeverComesBackFromAStaleReplica() throws {
        let group = try ReplicaGroup(count: 3)
        let (a, b, stale) = (group.replicas[0], group.replicas[1], group.replicas[2])
        var generator = SeededGenerator(seed: 4)
        let person = try a.addPerson(["family_name=Forgetme"]).hex
        try a.addLinkedRecord(type: "visit", person: person, set: ["note=private"])
        try group.converge(using: &generator)
        try stale.updatePerson(person, set: ["phone=0611111111"], unset: [])
        try stale.addLinkedRecord(type: "visit", person: person, set: ["note=written offline"])

        #expect(try b.erase(person).map(\.hex) == [person])
        try group.converge(using: &generator)
        for replica in group.replicas {
            #expect(try replica.listPersons().isEmpty)
            #expect(try replica.searchPersons("forget").isEmpty)
            #expect {
                _ = try replica.personFile(person)
            } throws: { error in
                guard let error = error as? StoreError, case .erased = error else { return false }
                return true
            }
            #expect(try replica.changeLog().changes.contains { $0.redacted > 0 })
        }
        #expect(throws: StoreError.self) { try stale.updatePerson(person, set: ["phone=1"], unset: []) }
    }

    @Test func aFarFutureClockIsAcceptedButNotFollowed() throws {
        let hour: Int64 = 3_600_000
        let group = try ReplicaGroup(count: 2, clockOffsets: [0, 48 * hour])
        let (local, skewed) = (group.replicas[0], group.replicas[1])
        var generator = SeededGenerator(seed: 5)
        try skewed.addPerson(["family_name=Future"])
        try group.deliverAll(from: 1, to: 0, using: &generator)
        #expect(try local.listPersons().count == 1)
        let written = try local.addPerson(["family_name=Now"])
        let change = try local.changes(missingFrom: VersionVector()).first { change in
            change.slots.contains { $0.person == written }
        }!
        #expect(change.timestamp.milliseconds < group.clocks[0].now.milliseconds + 60_000)
        #expect(try local.skewedDevices().map(\.device) == [skewed.keyring.device.description])
    }
}

@Suite struct HistoryTests {
    @Test func historyListsEveryAuthorAndValueWithVerifiedSignatures() throws {
        let group = try ReplicaGroup(count: 2)
        let (a, b) = (group.replicas[0], group.replicas[1])
        var generator = SeededGenerator(seed: 9)
        let person = try a.addPerson(["family_name=Diallo", "languages=fr"]).hex
        try group.deliverAll(from: 0, to: 1, using: &generator)
        try b.updatePerson(person, set: ["family_name=Dialo"], unset: ["languages"])
        try group.deliverAll(from: 1, to: 0, using: &generator)
        let history = try a.history(of: person)
        #expect(history.first?.action == "created")
        let (deviceA, deviceB) = (a.keyring.device.description, b.keyring.device.description)
        #expect(
            history.contains { $0.action == "set" && $0.field == "family_name" && $0.value == "Diallo" && $0.device == deviceA })
        #expect(
            history.contains { $0.action == "set" && $0.field == "family_name" && $0.value == "Dialo" && $0.device == deviceB })
        #expect(history.contains { $0.action == "removed" && $0.field == "languages" })
        #expect(history.allSatisfy { $0.isSignatureValid })
    }
}
