import Foundation
import GRDB
import RelaisCore
import RelaisCrypto

/// The replica's changes, and the one path by which persons' records are written: it signs local
/// writes, verifies and applies peers' changes, keeps the hybrid logical clock, and tells the
/// services that derive state from records (`ChangeFollower`: person keys, indexes) what each
/// write applied, inside that write's transaction.
final class ChangeLog {
    let database: any DatabaseWriter
    let keys: KeyringStore
    let wallClock: () -> WallTime
    private let followers: [any ChangeFollower]

    init(database: any DatabaseWriter, keys: KeyringStore, wallClock: @escaping () -> WallTime, followers: [any ChangeFollower]) {
        self.database = database
        self.keys = keys
        self.wallClock = wallClock
        self.followers = followers
    }

    /// Builds one change from `build`, signs it and applies it, in one transaction.
    /// - Throws: whatever `build` throws, and `StoreError` when the change cannot be applied;
    ///   the transaction then rolls back and nothing is stored.
    @discardableResult
    func commit(_ build: (inout ChangeBuilder, Database) throws -> Void) throws(StoreError) -> Change {
        let wallTime = wallClock()
        let keyring = keys.keyring
        let change: Change = try database.writing { db in
            guard try !ReplicaMeta.mustChangeIdentity(db) else { throw StoreError.mustChangeIdentity }
            let storage = SQLiteReplicaStorage(db)
            var clock = HybridLogicalClock(restoring: try ReplicaMeta.clock(db))
            var builder = ChangeBuilder(
                origin: keyring.device, sequence: try storage.versionVector()[keyring.device] + 1,
                timestamp: clock.tick(wallTime: wallTime))
            try build(&builder, db)
            guard !builder.operations.isEmpty else { throw StoreError.invalidWrite("nothing to change") }
            let slots = builder.operations.map(OperationSlot.operation)
            let signed = Change.signingBytes(header: builder.header, slots: slots, digest: Change.operationDigest)
            let change = Change(header: builder.header, slots: slots, signature: keyring.signingKey.sign(signed))
            guard change.encoded.count <= RelaisCore.Limits.changeBytesMax else {
                throw StoreError.invalidWrite(
                    "these values together are too long to save at once (\(change.encoded.count) bytes, at most \(RelaisCore.Limits.changeBytesMax)): save the longest fields in a second step with 'update'; nothing was changed"
                )
            }
            let report = try applier(storage, db).receive(change)
            if case .refused(let refusal) = report.outcome { throw StoreError.refused(refusal) }
            precondition(report.outcome == .applied, "a local change depends only on what this replica holds")
            try follow(AppliedChanges(changes: [change] + report.released), db)
            try ReplicaMeta.saveClock(clock.last, db)
            return change
        }
        keys.noteSigned(change.sequence)
        return change
    }

    /// Applies a session's batch in one transaction: all of it is committed, or, when a change
    /// fails verification, none of it (the peer sends it again next time). Followers refresh
    /// once, at the end, for everything the batch applied. A change is held until its
    /// predecessors come; one its origin signed after being revoked is voided (`ChangeApplier.void`).
    /// - Throws: `StoreError.badSignature` or `.unknownDevice`, changing nothing.
    func apply(remote changes: [Change]) throws(StoreError) -> [ApplyOutcome] {
        let wallTime = wallClock()
        return try database.writing { db in
            var applied: [Change] = []
            let storage = SQLiteReplicaStorage(db)
            let applier = try applier(storage, db)
            let outcomes = try changes.map { change in
                try apply(change, wallTime: wallTime, applier: applier, storage: storage, applied: &applied, db)
            }
            try follow(AppliedChanges(changes: applied), db)
            return outcomes
        }
    }

    /// - Parameter applied: gets the changes this one applied (itself, and those it released).
    private func apply(
        _ change: Change, wallTime: WallTime, applier: ChangeApplier, storage: SQLiteReplicaStorage, applied: inout [Change],
        _ db: Database
    ) throws -> ApplyOutcome {
        // A copy of a change already applied stores nothing, so it needs no verification; its
        // signature tells it from another change under the same number (Ed25519 is deterministic).
        if try storage.versionVector().contains(origin: change.origin, sequence: change.sequence) {
            return try isEquivocation(change, at: wallTime, db) ? .equivocation : .alreadyApplied
        }
        try verify(change, db)
        var clock = HybridLogicalClock(restoring: try ReplicaMeta.clock(db))
        if case .skewed(let ahead) = clock.observe(change.timestamp, wallTime: wallTime) {
            try db.execute(
                sql: "INSERT OR REPLACE INTO clock_skew (device, ahead_ms, seen_at_ms) VALUES (?, ?, ?)",
                arguments: [change.origin.blob, Int64(ahead), Int64(wallTime.milliseconds)])
        }
        let report = try applier.receive(change)
        if report.outcome == .applied { applied.append(change) }
        applied += report.released
        try ReplicaMeta.saveClock(clock.last, db)
        return report.outcome
    }

    /// Tells every follower what a write applied; a write that rebuilds files or moves scopes
    /// without applying changes (a roster adopted, a repair) reports it here too.
    func follow(_ applied: AppliedChanges, _ db: Database) throws {
        for follower in followers { try follower.follow(applied, db) }
    }

    /// Whether `change` differs from the one held under its (origin, sequence) and is validly
    /// signed; if so it is kept aside, once. A forged one throws `badSignature`, as any would.
    private func isEquivocation(_ change: Change, at now: WallTime, _ db: Database) throws -> Bool {
        guard let held = try Self.heldHead(change.origin, change.sequence, db), held != ChangeHead(of: change).head else {
            return false
        }
        try verify(change, db)
        try db.execute(
            sql: "INSERT OR REPLACE INTO equivocations (origin, sequence, seen_at_ms, body) VALUES (?, ?, ?, ?)",
            arguments: [change.origin.blob, Int64(change.sequence), Int64(now.milliseconds), Data(change.encoded)])
        return true
    }

    /// Checks the origin's signature; whether the origin could still write is the applier's
    /// question (a revoked origin's changes after its bound are voided, SPEC.md §10).
    func verify(_ change: Change, _ db: Database) throws {
        guard
            let key = try Data.fetchOne(
                db.cachedStatement(sql: "SELECT signing_key FROM devices WHERE id = ?"), arguments: [change.origin.blob])
        else { throw StoreError.unknownDevice(change.origin) }
        // The signature first: without the revoked key nobody may take a slot of its sequence.
        let message = change.signingBytes(digest: Change.operationDigest)
        guard SigningKey.isValid(signature: change.signature, message: message, publicKey: [UInt8](key)) else {
            throw StoreError.badSignature(origin: change.origin, sequence: change.sequence)
        }
    }

    /// The applier of changes to this device's scope.
    func applier(_ storage: SQLiteReplicaStorage, _ db: Database) throws -> ChangeApplier {
        ChangeApplier(storage: storage, reader: try TeamState.scopeReader(of: keys.keyring.device, db))
    }

    /// The head of the change held under (origin, sequence): the first bytes of its signature.
    static func heldHead(_ origin: DeviceID, _ sequence: UInt64, _ db: Database) throws -> [UInt8]? {
        // The signature ends the encoded change (SPEC.md §3): only its first bytes leave SQLite.
        try Data.fetchOne(
            db.cachedStatement(
                sql:
                    "SELECT substr(body, length(body) - \(RelaisCore.Limits.signatureBytes - 1), \(ChangeHead.bytes)) FROM changes WHERE origin = ? AND sequence = ?"
            ),
            arguments: [origin.blob, Int64(sequence)]
        ).map { [UInt8]($0) }
    }
}
