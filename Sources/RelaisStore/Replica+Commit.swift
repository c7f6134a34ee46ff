import Foundation
import GRDB
import RelaisCore
import RelaisCrypto

extension Replica {
    /// Builds one change from `build`, signs it and applies it, in one transaction.
    /// - Throws: whatever `build` throws, and `StoreError` when the change cannot be applied;
    ///   the transaction then rolls back and nothing is stored.
    @discardableResult
    func commit(_ build: (inout ChangeBuilder, Database) throws -> Void) throws(StoreError) -> Change {
        let wallTime = wallClock()
        let change: Change = try write { db in
            guard try !Self.mustChangeIdentity(db) else { throw StoreError.mustChangeIdentity }
            let storage = SQLiteReplicaStorage(db)
            var clock = HybridLogicalClock(restoring: try Self.loadClock(db))
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
            try refreshDerivedState(after: [change] + report.released, db)
            try Self.saveClock(clock.last, db)
            return change
        }
        noteSigned(change.sequence)
        return change
    }

    /// Verifies and applies a change from another device, or holds it until its predecessors come;
    /// voids one its origin signed after being revoked (`ChangeApplier.void`).
    /// - Throws: `StoreError.badSignature` or `.unknownDevice`, changing nothing.
    @discardableResult
    public func apply(remote change: Change) throws(StoreError) -> ApplyOutcome {
        try apply(remote: [change])[0]
    }

    /// Applies a session's batch in one transaction: all of it is committed, or, when a change
    /// fails verification, none of it (the peer sends it again next time). The search index and
    /// merge links are refreshed once, at the end, for every person the batch touched.
    /// - Throws: `StoreError.badSignature` or `.unknownDevice`, changing nothing.
    @discardableResult
    public func apply(remote changes: [Change]) throws(StoreError) -> [ApplyOutcome] {
        let wallTime = wallClock()
        let outcomes = try write { db in
            var applied: [Change] = []
            let storage = SQLiteReplicaStorage(db)
            let applier = try applier(storage, db)
            let outcomes = try changes.map { change in
                try apply(change, wallTime: wallTime, applier: applier, storage: storage, applied: &applied, db)
            }
            try refreshDerivedState(after: applied, db)
            return outcomes
        }
        // A scope may have taken persons out of this replica: their keys go too.
        if changes.contains(where: {
            $0.slots.contains { if case .operation(let operation) = $0, case .setScope = operation.body { true } else { false } }
        }) {
            personKeys.removeAll()
        }
        return outcomes
    }

    /// - Parameter applied: gets the changes this one applied (itself, and those it released).
    private func apply(
        _ change: Change, wallTime: WallTime, applier: ChangeApplier, storage: SQLiteReplicaStorage, applied: inout [Change],
        _ db: Database
    ) throws -> ApplyOutcome {
        // A copy of a change already applied stores nothing, so it needs no verification; its
        // signature tells it from another change under the same number (Ed25519 is deterministic).
        if try storage.versionVector().contains(origin: change.origin, sequence: change.sequence) {
            return try isEquivocation(change, db) ? .equivocation : .alreadyApplied
        }
        try verify(change, db)
        var clock = HybridLogicalClock(restoring: try Self.loadClock(db))
        if case .skewed(let ahead) = clock.observe(change.timestamp, wallTime: wallTime) {
            try db.execute(
                sql: "INSERT OR REPLACE INTO clock_skew (device, ahead_ms, seen_at_ms) VALUES (?, ?, ?)",
                arguments: [change.origin.blob, Int64(ahead), Int64(wallTime.milliseconds)])
        }
        let report = try applier.receive(change)
        for case .operation(let operation) in change.slots {
            if case .erasePerson = operation.body { personKeys[operation.person] = nil }
        }
        if report.outcome == .applied { applied.append(change) }
        applied += report.released
        try Self.saveClock(clock.last, db)
        return report.outcome
    }

    /// Whether `change` differs from the one held under its (origin, sequence) and is validly
    /// signed; if so it is kept aside, once. A forged one throws `badSignature`, as any would.
    private func isEquivocation(_ change: Change, _ db: Database) throws -> Bool {
        guard let held = try Self.heldHead(change.origin, change.sequence, db), held != ChangeHead(of: change).head else {
            return false
        }
        try verify(change, db)
        try db.execute(
            sql: "INSERT OR REPLACE INTO equivocations (origin, sequence, seen_at_ms, body) VALUES (?, ?, ?, ?)",
            arguments: [change.origin.blob, Int64(change.sequence), Int64(wallClock().milliseconds), Data(change.encoded)])
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

    /// Changes this replica holds that `vector` lacks, oldest first: for each origin a prefix of
    /// what is missing, in sequence order, so the receiver can apply them as they come.
    /// - Parameters:
    ///   - changesMax: at most this many changes.
    ///   - bytesMax: at most this many encoded bytes (at least one change is returned if any is missing).
    ///   - reader: the peer's scope: operations on persons outside it are sent as digests (SPEC.md §14).
    public func changes(
        missingFrom vector: VersionVector, for reader: ScopeReader = .everything, changesMax: Int = .max, bytesMax: Int = .max
    ) throws(StoreError) -> [Change] {
        try read { db in
            var scopes = ScopeCache(storage: SQLiteReplicaStorage(db), reader: reader, peerHolds: vector)
            let local = try Self.vouchedOrigins(of: SQLiteReplicaStorage(db).versionVector(), db)
            var feed = try MissingChanges(db, local: local, peer: vector)
            var result: [Change] = []
            var bytes = 0
            while result.count < changesMax, let body = feed.peek() {
                if !result.isEmpty && bytes + body.count > bytesMax { break }
                bytes += body.count
                result.append(try scopes.redacted(try Change(decoding: [UInt8](body))))
                try feed.advance()
            }
            return result
        }
    }

    /// Keeps the merge links and the search index in step with the persons these changes touched:
    /// only writes to a name field or the merge link, and newly readable keys, need a refresh.
    private func refreshDerivedState(after changes: [Change], _ db: Database) throws {
        var touched: Set<RecordID> = []
        for change in changes {
            for case .operation(let operation) in change.slots where operation.record == operation.person {
                switch operation.body {
                case .erasePerson: personKeys[operation.person] = nil
                // A scope may bring a person back, rebuilt from what the replica kept.
                case .personKey, .setScope: touched.insert(operation.person)
                case .setRegister(let field, _, _) where try indexes(field, of: operation.person, db):
                    touched.insert(operation.person)
                default: break
                }
            }
        }
        try refreshDerivedState(of: touched, db)
    }

    func refreshDerivedState(of touched: Set<RecordID>, _ db: Database) throws {
        let storage = SQLiteReplicaStorage(db)
        for person in touched where try !storage.isErased(person) {
            guard try storage.record(person) != nil else { continue }
            do {
                try refreshMergeLink(of: person, db)
                try refreshSearchTokens(of: person, db)
            } catch StoreError.unreadable {
                // The person's key is wrapped for an epoch this device does not hold yet; the
                // change carrying the key touches the person again and refreshes it then.
                continue
            }
        }
    }

    /// Whether `field` is one the derived state reads: a name field or the merge link.
    private func indexes(_ field: FieldToken, of person: RecordID, _ db: Database) throws -> Bool {
        guard let cipher = try? cipher(for: person, db) else { return false }
        return (Self.nameFields + [PersonCipher.mergedIntoField]).contains { cipher.token(type: "person", field: $0) == field }
    }

    private func refreshMergeLink(of person: RecordID, _ db: Database) throws {
        let cipher = try cipher(for: person, db)
        let token = cipher.token(type: "person", field: PersonCipher.mergedIntoField)
        let register = try SQLiteReplicaStorage(db).register(record: person, field: token)
        try db.cachedStatement(sql: "DELETE FROM merge_links WHERE duplicate = ?").execute(arguments: [person.blob])
        guard let winner = register.winner, let sealed = winner.sealedValue,
            case .reference(let kept) = try? cipher.open(sealed, record: person, field: token, dot: winner.dot)
        else { return }
        try db.cachedStatement(sql: "INSERT INTO merge_links (duplicate, kept) VALUES (?, ?)").execute(
            arguments: [person.blob, kept.blob])
    }

    static func loadClock(_ db: Database) throws -> HLCTimestamp {
        let raw = try Int64.fetchOne(db.cachedStatement(sql: "SELECT value FROM meta WHERE key = 'clock'")) ?? 0
        return HLCTimestamp(rawValue: UInt64(bitPattern: raw))
    }

    private static func saveClock(_ timestamp: HLCTimestamp, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('clock', ?)").execute(
            arguments: [Int64(bitPattern: timestamp.rawValue)])
    }
}
