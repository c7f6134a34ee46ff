import RelaisCore
import RelaisTestSupport
import Testing

/// A revocation is bounded by sequence (SPEC.md §10), and a node that took a void change before
/// it learnt of the revocation undoes it: it ends as a node that knew from the start.
@Suite struct LateChangeUndoTests {
    let person = ChangeFactory.recordID(1)
    let visit = ChangeFactory.recordID(2)
    let field = FieldToken(rawValue: 42)

    func setting(_ record: RecordID, _ value: UInt8) -> Operation {
        Operation(person: person, record: record, body: .setRegister(field: field, supersedes: [], sealedValue: [value]))
    }

    /// The revoked device's changes, then an honest relay's written on top of the late one.
    struct Story {
        var revoked = ChangeFactory(originByte: 1)
        var relay = ChangeFactory(originByte: 2)
        var changes: [Change] = []
    }

    func story(late: (inout ChangeFactory) -> Change, onTop: (inout ChangeFactory, Dot) -> Change?) -> Story {
        var story = Story()
        story.changes.append(
            story.revoked.make([Operation(person: person, record: person, body: .createRecord(sealedType: [0]))]))
        story.changes.append(late(&story.revoked))
        if let honest = onTop(&story.relay, story.revoked.dot(0)) { story.changes.append(honest) }
        return story
    }

    /// Applies `story` on a node that learns of the revocation after everything, and on one that
    /// knew before anything came: both must end the same.
    func bothOrders(_ story: Story) throws -> (unaware: InMemoryReplicaStorage, aware: InMemoryReplicaStorage) {
        let unaware = InMemoryReplicaStorage()
        for change in story.changes { _ = try ChangeApplier(storage: unaware).receive(change) }
        unaware.revoke(story.revoked.origin, validThrough: 1)
        _ = try ChangeApplier(storage: unaware).undoLateChanges(of: story.revoked.origin)
        let aware = InMemoryReplicaStorage()
        aware.revoke(story.revoked.origin, validThrough: 1)
        for change in story.changes { _ = try ChangeApplier(storage: aware).receive(change) }
        #expect(unaware.vector == aware.vector)
        return (unaware, aware)
    }

    @Test func aLateWriteTakenBeforeTheRevocationIsUndone() throws {
        let story = story(late: { $0.make([setting(person, 9)], dependingOn: [$0.dot(0)]) }) { relay, created in
            relay.make([setting(person, 7)], dependingOn: [created])
        }
        let (unaware, aware) = try bothOrders(story)
        #expect(aware.register(record: person, field: field).entries.map(\.sealedValue) == [[7]])
        #expect(unaware.register(record: person, field: field) == aware.register(record: person, field: field))
    }

    @Test func aRecordALateChangeCreatedGoesWithWhatWasWrittenOnIt() throws {
        let story = story(
            late: {
                $0.make(
                    [Operation(person: person, record: visit, body: .createRecord(sealedType: [1])), setting(visit, 9)],
                    dependingOn: [$0.dot(0)])
            },
            onTop: { relay, _ in
                relay.make(
                    [setting(visit, 7), setting(person, 5)],
                    dependingOn: [Dot(origin: DeviceID(Identifier128(high: 1, low: 0)), sequence: 2, index: 0)])
            })
        let (unaware, aware) = try bothOrders(story)
        #expect(aware.records[visit] == nil && unaware.records[visit] == nil)
        #expect(unaware.registers == aware.registers)
        #expect(aware.register(record: person, field: field).entries.map(\.sealedValue) == [[5]])
    }

    /// The erasure destroyed the file here; it comes back awaiting, and is whole again once a peer
    /// that voided the erasure fills in what was redacted.
    @Test func aLateErasureIsTakenBackAndTheFileFilledFromAPeer() throws {
        let story = story(late: { $0.make([Operation(person: person, record: person, body: .erasePerson)]) }) { relay, created in
            relay.make([setting(person, 7)], dependingOn: [created])
        }
        let unaware = InMemoryReplicaStorage()
        for change in [story.changes[0], story.changes[2], story.changes[1]] {
            _ = try ChangeApplier(storage: unaware).receive(change)
        }
        #expect(unaware.isErased(person))
        unaware.revoke(story.revoked.origin, validThrough: 1)
        let applier = ChangeApplier(storage: unaware)
        #expect(try applier.undoLateChanges(of: story.revoked.origin).isEmpty, "nothing to read before the fill")
        #expect(!unaware.isErased(person))
        #expect(unaware.holding(of: person) == .awaiting)
        let (_, aware) = try bothOrders(story)
        for full in [story.changes[0], story.changes[2]] {
            let held = unaware.stored.first { $0.header == full.header }!
            unaware.replaceStoredChange(held.filling(from: full, persons: [person], digest: InMemoryReplicaStorage.digest)!)
        }
        #expect(try applier.rebuildIfComplete(person))
        #expect(unaware.registers == aware.registers)
        #expect(unaware.records == aware.records)
    }

    @Test func aPersonAValidChangeErasedStaysErased() throws {
        let story = story(late: { $0.make([Operation(person: person, record: person, body: .erasePerson)]) }) { relay, _ in
            relay.make([Operation(person: person, record: person, body: .erasePerson)])
        }
        let (unaware, aware) = try bothOrders(story)
        #expect(unaware.isErased(person) && aware.isErased(person))
    }

    /// A late erasure held back (its predecessor missing) erases at once; learning of the
    /// revocation takes it back (the file awaits a peer's copy), and the change is voided, not
    /// applied, when its turn comes.
    @Test func aHeldLateChangeIsVoidedWhenReleased() throws {
        var revoked = ChangeFactory(originByte: 1)
        let created = revoked.make([Operation(person: person, record: person, body: .createRecord(sealedType: [0]))])
        let write = revoked.make([setting(person, 3)], dependingOn: [revoked.dot(0)])
        let erasure = revoked.make([Operation(person: person, record: person, body: .erasePerson)])
        let storage = InMemoryReplicaStorage()
        let applier = ChangeApplier(storage: storage)
        _ = try applier.receive(created)
        #expect(try applier.receive(erasure).outcome == .pending)
        #expect(storage.isErased(person))
        storage.revoke(revoked.origin, validThrough: 2)
        _ = try applier.undoLateChanges(of: revoked.origin)
        #expect(!storage.isErased(person))
        #expect(try applier.receive(write).outcome == .applied)
        #expect(storage.vector[revoked.origin] == 3)
        #expect(storage.pendingCount() == 0)
        #expect(storage.holding(of: person) == .awaiting, "the erasure destroyed what it held of the file")
        let held = storage.stored.first { $0.header == created.header }!
        storage.replaceStoredChange(held.filling(from: created, persons: [person], digest: InMemoryReplicaStorage.digest)!)
        #expect(try applier.rebuildIfComplete(person))
        #expect(storage.register(record: person, field: field).entries.map(\.sealedValue) == [[3]])
    }

    /// A laptop whose clock runs ahead stamps its writes late; what the admin held when it
    /// revoked stays valid whatever the time says.
    @Test func aChangeWithinTheBoundIsAppliedWhateverItsTime() throws {
        var revoked = ChangeFactory(originByte: 1)
        revoked.timestamp = HLCTimestamp(milliseconds: 9_000_000_000_000, counter: 0)
        let created = revoked.make([Operation(person: person, record: person, body: .createRecord(sealedType: [0]))])
        let late = revoked.make([setting(person, 3)], dependingOn: [revoked.dot(0)])
        let storage = InMemoryReplicaStorage()
        storage.revoke(revoked.origin, validThrough: 1)
        let applier = ChangeApplier(storage: storage)
        #expect(try applier.receive(created).outcome == .applied)
        #expect(try applier.receive(late).outcome == .voided)
        #expect(storage.records[person] != nil)
        #expect(storage.register(record: person, field: field).entries.isEmpty)
    }
}
