import Foundation
import GRDB
import RelaisCore
import RelaisCrypto

/// What the change log gives peers and takes from them beyond single changes: the changes a peer
/// lacks (redacted for its scope), the closures of pruned origins, fills of redacted operations.
extension ChangeLog {
    /// Changes this replica holds that `vector` lacks, oldest first: for each origin a prefix of
    /// what is missing, in sequence order, so the receiver can apply them as they come.
    /// - Parameters:
    ///   - changesMax: at most this many changes.
    ///   - bytesMax: at most this many encoded bytes (at least one change is returned if any is missing).
    ///   - reader: the peer's scope: operations on persons outside it are sent as digests (SPEC.md §14).
    func changes(
        missingFrom vector: VersionVector, for reader: ScopeReader = .everything, changesMax: Int = .max, bytesMax: Int = .max
    ) throws(StoreError) -> [Change] {
        try database.reading { db in
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

    /// Keeps the closures a peer sent with a batch, once each verifies: this team, signed by a
    /// key of the admin chain this node follows.
    /// - Throws: `StoreError.badClosure`, keeping none.
    func adoptClosures(_ closures: [OriginClosure]) throws(StoreError) {
        guard !closures.isEmpty, let team = try database.reading({ try TeamState.stored($0) }) else { return }
        let adminKeys = [team.adminKey] + team.roster.adminChain.map(\.key)
        for closure in closures {
            guard closure.team == team.team, adminKeys.contains(closure.issuerKey),
                SigningKey.isValid(signature: closure.signature, message: closure.signedBytes, publicKey: closure.issuerKey)
            else { throw .badClosure(closure.device) }
        }
        try database.writing { db in
            let applier = try applier(SQLiteReplicaStorage(db), db)
            var rebuilt: Set<RecordID> = []
            for device in try Self.keep(closures, db) { rebuilt.formUnion(try applier.undoLateChanges(of: device)) }
            try follow(AppliedChanges(rebuilt: rebuilt), db)
        }
    }

    /// The changes `vector` lacks (`changes(missingFrom:)`), with the closures of their pruned
    /// origins; `bytesMax` bounds both, room being kept for every closure that might go.
    func batch(
        missingFrom vector: VersionVector, for reader: ScopeReader = .everything, changesMax: Int = .max, bytesMax: Int = .max
    ) throws(StoreError) -> ChangeBatch {
        // Only the closures of origins the peer lacks: a hub holds one per device ever pruned.
        let candidates = try database.reading { db in
            let lacking = try SQLiteReplicaStorage(db).versionVector().entries.filter { $0.value > vector[$0.key] }.keys
            let statement = try db.cachedStatement(sql: "SELECT body FROM closures WHERE device = ?")
            return try lacking.sorted().compactMap { origin in
                try Data.fetchOne(statement, arguments: [origin.blob]).map { try OriginClosure(decoding: [UInt8]($0)) }
            }
        }
        let reserve = candidates.count * (OriginClosure.encodedBytes + Self.protobufFieldBytes)
        let changes = try changes(
            missingFrom: vector, for: reader, changesMax: changesMax, bytesMax: max(bytesMax - reserve, 1))
        let origins = Set(changes.map(\.origin))
        return ChangeBatch(changes, closures: candidates.filter { origins.contains($0.device) })
    }

    /// A repeated bytes field's tag and length, at most, for a closure.
    private static let protobufFieldBytes = 3

    /// The origins this node may hand over: listed in its roster, or closed with a closure it
    /// holds. A device pruned from the roster before this node received its closure is left to
    /// the admin node, which holds every closure: a peer could not verify its changes.
    static func vouchedOrigins(of vector: VersionVector, _ db: Database) throws -> VersionVector {
        guard let team = try TeamState.stored(db) else { return vector }
        let closed = try Set(Data.fetchAll(db, sql: "SELECT device FROM closures").map { try DeviceID(blob: $0) })
        let listed = Set(team.roster.certificates.map(\.device))
        return VersionVector(vector.entries.filter { listed.contains($0.key) || closed.contains($0.key) })
    }

    /// The stored changes carrying operations of `persons` that `reader` may hold, each redacted
    /// for it as in a session, to fill a peer's missing operations (SPEC.md §14).
    func fillChanges(of persons: [RecordID], for reader: ScopeReader, bytesMax: Int) throws(StoreError) -> [Change] {
        try database.reading { db in
            let storage = SQLiteReplicaStorage(db)
            // The peer holds every change here: it asks only for persons it awaits.
            var scopes = ScopeCache(storage: storage, reader: reader, peerHolds: try storage.versionVector())
            var seen: Set<ChangeHeader> = []
            var result: [Change] = []
            var bytes = 0
            for person in persons where try storage.holding(of: person) != .outside && scopes.mayHold(person) {
                for change in try storage.storedChanges(of: person)
                where change.slots.contains(where: { $0.carriesOperation(of: person) }) && seen.insert(change.header).inserted {
                    let redacted = try scopes.redacted(change)
                    bytes += redacted.encoded.count
                    guard bytes <= bytesMax else { return result }
                    result.append(redacted)
                }
            }
            return result
        }
    }

    /// Fills redacted operations of awaiting persons from a peer's copies of changes held here,
    /// each checked against the digest its origin signed; rebuilds every file no longer missing
    /// anything. Returns the persons rebuilt.
    @discardableResult
    func fill(_ changes: [Change]) throws(StoreError) -> [RecordID] {
        let rebuilt: [RecordID] = try database.writing { db in
            let storage = SQLiteReplicaStorage(db)
            var touched: Set<RecordID> = []
            for change in changes {
                if let persons = try replacesDamaged(change, db) {
                    touched.formUnion(persons)
                    continue
                }
                guard
                    let body = try Data.fetchOne(
                        db, sql: "SELECT body FROM changes WHERE origin = ? AND sequence = ?",
                        arguments: [change.origin.blob, Int64(change.sequence)])
                else { continue }
                let stored = try Change(decoding: [UInt8](body))
                let awaiting = try Set(stored.redactedPersons.filter { try storage.holding(of: $0) == .awaiting })
                guard let filled = stored.filling(from: change, persons: awaiting, digest: Change.operationDigest) else {
                    continue
                }
                try storage.replaceStoredChange(filled)
                touched.formUnion(awaiting)
            }
            let applier = try applier(storage, db)
            let rebuilt = try Array(touched.filter { try applier.rebuildIfComplete($0) })
            try follow(AppliedChanges(rebuilt: Set(rebuilt)), db)
            return rebuilt
        }
        return rebuilt
    }

    /// Stores a peer's copy of a change `relais repair` set aside as damaged, once it verifies.
    /// - Returns: the persons that awaited it; nil when the change was not set aside (or is forged).
    private func replacesDamaged(_ change: Change, _ db: Database) throws -> [RecordID]? {
        let arguments: StatementArguments = [change.origin.blob, Int64(change.sequence)]
        let persons = try Data.fetchAll(
            db, sql: "SELECT person FROM damaged_changes WHERE origin = ? AND sequence = ?", arguments: arguments
        ).map { try RecordID(blob: $0) }
        guard !persons.isEmpty, (try? verify(change, db)) != nil else { return nil }
        try SQLiteReplicaStorage(db).storeChange(change)
        try db.execute(sql: "DELETE FROM damaged_changes WHERE origin = ? AND sequence = ?", arguments: arguments)
        return persons
    }

    /// Keeps closures checked by the caller: their devices become signers whose changes after
    /// `validThrough` are void (an origin this node already knew keeps its key).
    static func keep(_ closures: [OriginClosure], _ db: Database) throws -> [DeviceID] {
        var bounded: [DeviceID] = []
        for closure in closures {
            try db.execute(
                sql: "INSERT OR REPLACE INTO closures (device, body) VALUES (?, ?)",
                arguments: [closure.device.blob, Data(closure.encoded)])
            let known = try Row.fetchOne(
                db, sql: "SELECT revoked_through FROM devices WHERE id = ?", arguments: [closure.device.blob])
            if known == nil {
                try db.execute(
                    sql: "INSERT INTO devices (id, signing_key, revoked_through) VALUES (?, ?, ?)",
                    arguments: [closure.device.blob, Data(closure.signingKey), Int64(closure.validThrough)])
            } else if (known?["revoked_through"] as Int64?) == nil {
                try db.execute(
                    sql: "UPDATE devices SET revoked_through = ? WHERE id = ?",
                    arguments: [Int64(closure.validThrough), closure.device.blob])
                bounded.append(closure.device)
            }
        }
        return bounded
    }
}
