import RelaisCore
import RelaisTestSupport
import Testing

@Suite struct ChangeApplierTests {
    let person = ChangeFactory.recordID(1)
    let visit = ChangeFactory.recordID(2)
    let field = FieldToken(rawValue: 42)

    func creation(_ factory: inout ChangeFactory) -> Change {
        factory.make([Operation(person: person, record: person, body: .createRecord(sealedType: [0]))])
    }

    func write(_ factory: inout ChangeFactory, _ value: UInt8, supersedes: [Dot] = [], dependingOn: [Dot]) -> Change {
        factory.make(
            [
                Operation(
                    person: person, record: person, body: .setRegister(field: field, supersedes: supersedes, sealedValue: [value])
                )
            ],
            dependingOn: dependingOn + supersedes)
    }

    @Test func aChangeWaitsForItsDependencies() throws {
        var a = ChangeFactory(originByte: 1)
        var b = ChangeFactory(originByte: 2)
        let created = creation(&a)
        let edit = write(&b, 7, dependingOn: [a.dot(0)])
        let storage = InMemoryReplicaStorage()
        let applier = ChangeApplier(storage: storage)
        #expect(try applier.receive(edit).outcome == .pending)
        let report = try applier.receive(created)
        #expect(report.outcome == .applied)
        #expect(report.released == [edit])
        #expect(storage.register(record: person, field: field).entries.count == 1)
        #expect(storage.pendingCount() == 0)
    }

    @Test func aGapInAnOriginsSequenceWaits() throws {
        var a = ChangeFactory(originByte: 1)
        let first = creation(&a)
        let second = write(&a, 1, dependingOn: [a.dot(0)])
        let storage = InMemoryReplicaStorage()
        #expect(try ChangeApplier(storage: storage).receive(second).outcome == .pending)
        #expect(try ChangeApplier(storage: storage).receive(first).outcome == .applied)
        #expect(storage.vector[a.origin] == 2)
    }

    @Test func duplicatesAreHarmless() throws {
        var a = ChangeFactory(originByte: 1)
        let created = creation(&a)
        let storage = InMemoryReplicaStorage()
        let applier = ChangeApplier(storage: storage)
        #expect(try applier.receive(created).outcome == .applied)
        #expect(try applier.receive(created).outcome == .alreadyApplied)
        #expect(storage.stored.count == 1)
    }

    @Test func anOperationOnAnUnknownRecordIsRefusedAndChangesNothing() throws {
        var a = ChangeFactory(originByte: 1)
        let change = a.make([
            Operation(person: person, record: person, body: .createRecord(sealedType: [0])),
            Operation(person: person, record: visit, body: .deleteRecord),
        ])
        let storage = InMemoryReplicaStorage()
        #expect(try ChangeApplier(storage: storage).receive(change).outcome == .refused(.unknownRecord(visit)))
        #expect(storage.records.isEmpty)
        #expect(storage.vector == VersionVector())
    }

    @Test func aRecordAttributedToAnotherPersonIsRefused() throws {
        var a = ChangeFactory(originByte: 1)
        let other = ChangeFactory.recordID(9)
        let storage = InMemoryReplicaStorage()
        let applier = ChangeApplier(storage: storage)
        _ = try applier.receive(creation(&a))
        let forged = a.make([Operation(person: other, record: person, body: .deleteRecord)])
        #expect(try applier.receive(forged).outcome == .refused(.recordOfAnotherPerson(person)))
    }

    @Test func operationsOnAnErasedPersonAreIgnored() throws {
        var a = ChangeFactory(originByte: 1)
        var b = ChangeFactory(originByte: 2)
        let created = creation(&a)
        let staleEdit = write(&b, 3, dependingOn: [a.dot(0)])
        let erasure = a.make([Operation(person: person, record: person, body: .erasePerson)])
        let storage = InMemoryReplicaStorage()
        let applier = ChangeApplier(storage: storage)
        _ = try applier.receive(created)
        _ = try applier.receive(erasure)
        #expect(try applier.receive(staleEdit).outcome == .applied)
        #expect(storage.records.isEmpty)
        #expect(storage.registers.isEmpty)
        #expect(storage.erased == [person])
    }

    @Test func aRedactedChangeWaitsForTheErasure() throws {
        var a = ChangeFactory(originByte: 1)
        let created = creation(&a)
        let redacted = created.redacting([person]) { _ in Array(repeating: 1, count: 32) }
        let storage = InMemoryReplicaStorage()
        #expect(try ChangeApplier(storage: storage).receive(redacted).outcome == .pending)
    }

    @Test func deliveryOrderDoesNotMatter() throws {
        var a = ChangeFactory(originByte: 1)
        var b = ChangeFactory(originByte: 2)
        let created = creation(&a)
        let fromA = write(&a, 1, dependingOn: [a.dot(0)])
        let fromB = write(&b, 2, dependingOn: [Dot(origin: a.origin, sequence: 1, index: 0)])
        let changes = [created, fromA, fromB]
        var states: [MultiValueRegister] = []
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0, 0, 2]] {
            let storage = InMemoryReplicaStorage()
            for index in order { _ = try ChangeApplier(storage: storage).receive(changes[index]) }
            states.append(storage.register(record: person, field: field))
        }
        #expect(states.allSatisfy { $0 == states[0] })
        #expect(states[0].entries.count == 2)
    }

    /// A revoked device's late change is voided, not applied: a relay that took it before learning
    /// of the revocation wrote on top of it, and those honest changes must not wait forever.
    @Test func aVoidedChangeAppliesNothingButReleasesWhatDependsOnIt() throws {
        var revoked = ChangeFactory(originByte: 1)
        var relay = ChangeFactory(originByte: 2)
        let created = creation(&revoked)
        let late = write(&revoked, 9, dependingOn: [revoked.dot(0)])
        let honest = write(&relay, 7, dependingOn: [revoked.dot(0)])
        let storage = InMemoryReplicaStorage()
        let applier = ChangeApplier(storage: storage)
        _ = try applier.receive(created)
        #expect(try applier.receive(honest).outcome == .pending)
        let report = try applier.void(late)
        #expect(report.outcome == .voided)
        #expect(report.released == [honest])
        #expect(storage.register(record: person, field: field).entries.map(\.sealedValue) == [[7]])
        #expect(storage.stored.contains(late), "kept to be relayed, so others can void it too")
        #expect(try applier.void(late).outcome == .alreadyApplied)
    }

    /// Regression (simulation): a relay applied a revoked device's late erasure before learning of
    /// the revocation and redacted its own later changes; a node that voids the erasure must still
    /// take those changes (without the redacted operations), or the relay's writes wait forever.
    @Test func aChangeRedactedAfterAVoidedErasureIsNotHeldForever() throws {
        var revoked = ChangeFactory(originByte: 1)
        var relay = ChangeFactory(originByte: 2)
        let created = creation(&revoked)
        let erasure = revoked.make([Operation(person: person, record: person, body: .erasePerson)])
        let edit = write(&relay, 7, dependingOn: [revoked.dot(0)])
        let redacted = edit.redacting([person]) { _ in Array(repeating: 1, count: 32) }
        let storage = InMemoryReplicaStorage()
        let applier = ChangeApplier(storage: storage)
        _ = try applier.receive(created)
        #expect(try applier.receive(redacted).outcome == .pending)
        #expect(try applier.void(erasure).released == [redacted])
        #expect(storage.erased.isEmpty)
        #expect(storage.pendingCount() == 0)
    }

    /// Regression (simulation seed 6079658376362316240): a relay wrote on a person a revoked
    /// device created after its revocation; elsewhere that creation is voided, and the relay's
    /// change must still apply (minus those operations), or its later changes wait forever.
    @Test func operationsOnWhatAVoidedChangeCreatedAreIgnored() throws {
        var revoked = ChangeFactory(originByte: 1)
        var relay = ChangeFactory(originByte: 2)
        let created = creation(&revoked)
        let edit = write(&relay, 7, dependingOn: [revoked.dot(0)])
        let storage = InMemoryReplicaStorage()
        let applier = ChangeApplier(storage: storage)
        #expect(try applier.void(created).outcome == .voided)
        #expect(try applier.receive(edit).outcome == .applied)
        #expect(storage.records.isEmpty && storage.registers.isEmpty)
        #expect(storage.vector[relay.origin] == 1)
    }

    /// Regression (simulation seed 17176952537752490511): a relay applied a revoked device's late
    /// erasure, then redacted that device's own earlier change; the earlier change waits for the
    /// erasure, and the voided erasure comes after it in sequence: it must count at once.
    @Test func aVoidedErasureOutOfSequenceReleasesTheOriginsRedactedEarlierChange() throws {
        var revoked = ChangeFactory(originByte: 1)
        let created = creation(&revoked)
        let erasure = revoked.make([Operation(person: person, record: person, body: .erasePerson)])
        let redacted = created.redacting([person]) { _ in Array(repeating: 1, count: 32) }
        let storage = InMemoryReplicaStorage()
        let applier = ChangeApplier(storage: storage)
        #expect(try applier.receive(redacted).outcome == .pending)
        #expect(try applier.void(erasure).released == [redacted])
        #expect(try applier.void(erasure).outcome == .voided)
        #expect(storage.vector[revoked.origin] == 2)
        #expect(storage.pendingCount() == 0)
    }

    @Test func aVoidOutOfSequenceIsDroppedUntilOfferedAgainInOrder() throws {
        var revoked = ChangeFactory(originByte: 1)
        let created = creation(&revoked)
        let first = write(&revoked, 1, dependingOn: [revoked.dot(0)])
        let second = write(&revoked, 2, dependingOn: [revoked.dot(0)])
        let storage = InMemoryReplicaStorage()
        let applier = ChangeApplier(storage: storage)
        _ = try applier.receive(created)
        #expect(try applier.void(second).outcome == .voided)
        #expect(storage.vector[revoked.origin] == 1)
        _ = try applier.void(first)
        _ = try applier.void(second)
        #expect(storage.vector[revoked.origin] == 3)
        #expect(storage.register(record: person, field: field).entries.isEmpty)
    }
}

@Suite struct ErasureOrderingTests {
    /// Regression (convergence seed 6079658376362316240): a relay redacts an origin's earlier
    /// change after the origin's later change erased the person; the erasure must not wait
    /// behind the change it unblocks.
    @Test func aHeldErasureTakesEffectAtOnce() throws {
        let person = ChangeFactory.recordID(1)
        var a = ChangeFactory(originByte: 1)
        let created = a.make([Operation(person: person, record: person, body: .createRecord(sealedType: [0]))])
        let erasure = a.make([Operation(person: person, record: person, body: .erasePerson)])
        let redacted = created.redacting([person]) { _ in Array(repeating: 1, count: 32) }
        let storage = InMemoryReplicaStorage()
        let applier = ChangeApplier(storage: storage)
        #expect(try applier.receive(redacted).outcome == .pending)
        let report = try applier.receive(erasure)
        #expect(report.outcome == .applied)
        #expect(storage.vector[a.origin] == 2)
        #expect(storage.erased == [person])
        #expect(storage.pendingCount() == 0)
    }
}
