import Foundation
import GRDB
import RelaisCore
import RelaisCrypto

/// A roster that outlives staff turnover (SPEC.md §10, "Pruning"): the admin node drops revoked
/// and retired devices once their certificates have expired, keeping for each an admin-signed
/// closure (key and last valid change) that travels with its changes to nodes that never knew it.
extension Replica {
    /// The devices `roster` may drop now, with the last of their changes that stays valid: revoked
    /// or retired, certificate expired (so no session can name them), and, for a retired device,
    /// every change of it that a peer said it holds held here (its successor has synced since).
    static func prunable(_ roster: Roster, own: DeviceID, at now: WallTime, _ db: Database) throws -> [DeviceID: UInt64] {
        let held = try SQLiteReplicaStorage(db).versionVector()
        let reported = try PeerLedger.vectors(db)
        var prunable: [DeviceID: UInt64] = [:]
        for certificate in roster.certificates where certificate.device != own && certificate.expiresAt <= now {
            let device = certificate.device
            if let revocation = roster.revocation(of: device) {
                prunable[device] = revocation.validThrough
            } else if let successor = roster.successors[device],
                successor == own || reported[successor] != nil,
                reported.values.allSatisfy({ $0[device] <= held[device] })
            {
                prunable[device] = held[device]
            }
        }
        return prunable
    }

    /// `roster` without what may go, and the closures of the devices dropped, signed by `adminKey`.
    func pruned(_ roster: Roster, at now: WallTime, by adminKey: SigningKey, _ db: Database) throws
        -> (roster: Roster, closures: [OriginClosure])
    {
        let prunable = try Self.prunable(roster, own: keyring.device, at: now, db)
        guard !prunable.isEmpty else { return (roster, []) }
        let closures = roster.certificates.compactMap { certificate -> OriginClosure? in
            guard let validThrough = prunable[certificate.device] else { return nil }
            let closure = OriginClosure(
                team: roster.team, device: certificate.device, signingKey: certificate.signingKey,
                validThrough: validThrough, issuerKey: adminKey.publicKey, signature: [])
            return closure.signed(adminKey.sign(closure.signedBytes))
        }
        return (roster.pruning(Set(prunable.keys)), closures)
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

    /// Keeps the closures a peer sent with a batch, once each verifies: this team, signed by a
    /// key of the admin chain this node follows.
    /// - Throws: `StoreError.badClosure`, keeping none.
    public func adoptClosures(_ closures: [OriginClosure]) throws(StoreError) {
        guard !closures.isEmpty, let team = try teamState else { return }
        let adminKeys = [team.adminKey] + team.roster.adminChain.map(\.key)
        for closure in closures {
            guard closure.team == team.team, adminKeys.contains(closure.issuerKey),
                SigningKey.isValid(signature: closure.signature, message: closure.signedBytes, publicKey: closure.issuerKey)
            else { throw .badClosure(closure.device) }
        }
        try write { db in
            let reader = try Self.scopeReader(of: keyring.device, db)
            let applier = ChangeApplier(storage: SQLiteReplicaStorage(db), reader: reader)
            var rebuilt: Set<RecordID> = []
            for device in try Self.keep(closures, db) { rebuilt.formUnion(try applier.undoLateChanges(of: device)) }
            try refreshDerivedState(of: rebuilt, db)
        }
    }

    /// The changes `vector` lacks (`changes(missingFrom:)`), with the closures of their pruned
    /// origins; `bytesMax` bounds both, room being kept for every closure that might go.
    public func batch(
        missingFrom vector: VersionVector, for reader: ScopeReader = .everything, changesMax: Int = .max, bytesMax: Int = .max
    ) throws(StoreError) -> ChangeBatch {
        // Only the closures of origins the peer lacks: a hub holds one per device ever pruned.
        let candidates = try read { db in
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

    /// Applies a session's batch after keeping its closures (`adoptClosures`).
    @discardableResult
    public func apply(remote batch: ChangeBatch) throws(StoreError) -> [ApplyOutcome] {
        try adoptClosures(batch.closures)
        return try apply(remote: batch.changes)
    }

    /// The origins this node may hand over: listed in its roster, or closed with a closure it
    /// holds. A device pruned from the roster before this node received its closure is left to
    /// the admin node, which holds every closure: a peer could not verify its changes.
    static func vouchedOrigins(of vector: VersionVector, _ db: Database) throws -> VersionVector {
        guard let team = try teamState(db) else { return vector }
        let closed = try Set(Data.fetchAll(db, sql: "SELECT device FROM closures").map { try DeviceID(blob: $0) })
        let listed = Set(team.roster.certificates.map(\.device))
        return VersionVector(vector.entries.filter { listed.contains($0.key) || closed.contains($0.key) })
    }
}
