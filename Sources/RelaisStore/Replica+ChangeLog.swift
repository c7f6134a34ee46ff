import GRDB
import RelaisCore

/// The change log's verbs, as the CLI, the daemon and the tests call them on the replica.
extension Replica {
    /// Builds one change from `build`, signs it and applies it, in one transaction (`ChangeLog.commit`).
    @discardableResult
    func commit(_ build: (inout ChangeBuilder, Database) throws -> Void) throws(StoreError) -> Change {
        try log.commit(build)
    }

    /// Verifies and applies a change from another device, or holds it until its predecessors come;
    /// voids one its origin signed after being revoked (`ChangeApplier.void`).
    /// - Throws: `StoreError.badSignature` or `.unknownDevice`, changing nothing.
    @discardableResult
    public func apply(remote change: Change) throws(StoreError) -> ApplyOutcome {
        try log.apply(remote: [change])[0]
    }

    /// Applies a session's batch in one transaction: all of it is committed, or, when a change
    /// fails verification, none of it (the peer sends it again next time).
    /// - Throws: `StoreError.badSignature` or `.unknownDevice`, changing nothing.
    @discardableResult
    public func apply(remote changes: [Change]) throws(StoreError) -> [ApplyOutcome] {
        try log.apply(remote: changes)
    }

    /// Applies a session's batch after keeping its closures (`adoptClosures`).
    @discardableResult
    public func apply(remote batch: ChangeBatch) throws(StoreError) -> [ApplyOutcome] {
        try log.adoptClosures(batch.closures)
        return try log.apply(remote: batch.changes)
    }

    /// Keeps the closures a peer sent with a batch, once each verifies: this team, signed by a
    /// key of the admin chain this node follows.
    /// - Throws: `StoreError.badClosure`, keeping none.
    public func adoptClosures(_ closures: [OriginClosure]) throws(StoreError) { try log.adoptClosures(closures) }

    /// Changes this replica holds that `vector` lacks, oldest first (`ChangeLog.changes(missingFrom:)`).
    public func changes(
        missingFrom vector: VersionVector, for reader: ScopeReader = .everything, changesMax: Int = .max, bytesMax: Int = .max
    ) throws(StoreError) -> [Change] {
        try log.changes(missingFrom: vector, for: reader, changesMax: changesMax, bytesMax: bytesMax)
    }

    /// The changes `vector` lacks, with the closures of their pruned origins (`ChangeLog.batch`).
    public func batch(
        missingFrom vector: VersionVector, for reader: ScopeReader = .everything, changesMax: Int = .max, bytesMax: Int = .max
    ) throws(StoreError) -> ChangeBatch {
        try log.batch(missingFrom: vector, for: reader, changesMax: changesMax, bytesMax: bytesMax)
    }

    /// The stored changes carrying operations of `persons`, redacted for `reader` (`ChangeLog.fillChanges`).
    public func fillChanges(of persons: [RecordID], for reader: ScopeReader, bytesMax: Int) throws(StoreError) -> [Change] {
        try log.fillChanges(of: persons, for: reader, bytesMax: bytesMax)
    }

    /// Fills redacted operations of awaiting persons from a peer's copies (`ChangeLog.fill`);
    /// returns the persons rebuilt.
    @discardableResult
    public func fill(_ changes: [Change]) throws(StoreError) -> [RecordID] { try log.fill(changes) }

    /// The change this replica holds at the end of each origin, named with its vector (SPEC.md §11).
    public func changeHeads() throws(StoreError) -> [ChangeHead] { try log.changeHeads() }

    /// Notes every origin that signed two changes under one number, as the peer's heads show
    /// (`ChangeLog.compareHeads`); returns how many such numbers this session revealed.
    @discardableResult
    public func compareHeads(_ heads: [ChangeHead], peer: DeviceID?) throws(StoreError) -> Int {
        try log.compareHeads(heads, peer: peer)
    }
}
