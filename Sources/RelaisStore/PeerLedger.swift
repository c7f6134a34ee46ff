import Foundation
import GRDB
import RelaisCore

/// What this node knows of its peers, and the only code that reads or writes their tables: how
/// sessions with each address went (`peers`, for `relais status`), and the version vector each
/// device last said it holds (`peer_vectors`: bundles prepared for it, pruning, the unsaved changes a
/// purge keeps, repair).
enum PeerLedger {
    /// A row of `peers`: one address this node synced with, or tried to.
    private struct Peer: Decodable, FetchableRecord, TableRecord {
        static let databaseTableName = "peers"

        let address: String
        let device: Data?
        let lastAttemptMs: Int64
        let lastSuccessMs: Int64
        let lastError: String
        let changesSent: Int
        let changesReceived: Int

        enum CodingKeys: String, CodingKey {
            case address, device
            case lastAttemptMs = "last_attempt_ms", lastSuccessMs = "last_success_ms", lastError = "last_error"
            case changesSent = "changes_sent", changesReceived = "changes_received"
        }
    }

    /// A row of `peer_vectors`: the vector one device last said it holds.
    private struct PeerVector: Codable, FetchableRecord, PersistableRecord {
        static let databaseTableName = "peer_vectors"

        let device: Data
        let vector: Data

        func decoded() throws -> (DeviceID, VersionVector) {
            var reader = BinaryReader([UInt8](vector))
            return (try DeviceID(blob: device), try VersionVector.decode(from: &reader))
        }
    }

    /// Adds a session's outcome to what is known of the peer at `address`.
    static func recordSession(
        address: String, device: DeviceID?, succeeded: Bool, error: String, changesSent: Int, changesReceived: Int,
        at now: WallTime, _ db: Database
    ) throws {
        // Counters add up across sessions, which a plain upsert of the record would overwrite.
        let milliseconds = Int64(now.milliseconds)
        try db.execute(
            sql: """
                INSERT INTO peers (address, device, last_attempt_ms, last_success_ms, last_error, changes_sent, changes_received)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (address) DO UPDATE SET
                    device = coalesce(excluded.device, device), last_attempt_ms = excluded.last_attempt_ms,
                    last_success_ms = CASE WHEN ? THEN excluded.last_attempt_ms ELSE last_success_ms END,
                    last_error = excluded.last_error,
                    changes_sent = changes_sent + excluded.changes_sent,
                    changes_received = changes_received + excluded.changes_received
                """,
            arguments: [
                address, device?.blob, milliseconds, succeeded ? milliseconds : 0, error, changesSent, changesReceived,
                succeeded,
            ])
    }

    /// Every peer, by address.
    static func peers(_ db: Database) throws -> [PeerStatus] {
        try Peer.order(Column("address")).fetchAll(db).map { peer in
            PeerStatus(
                address: peer.address, device: try peer.device.map { try DeviceID(blob: $0).description },
                lastAttempt: format(peer.lastAttemptMs), lastSuccess: format(peer.lastSuccessMs), lastError: peer.lastError,
                changesSent: peer.changesSent, changesReceived: peer.changesReceived)
        }
    }

    /// Adds `vector` to what `device` is known to hold.
    static func remember(_ vector: VersionVector, of device: DeviceID, _ db: Database) throws {
        // A damaged vector is replaced by what the device says now.
        let known = (try? self.vector(of: device, db)) ?? VersionVector()
        var writer = BinaryWriter()
        known.merging(vector).encode(into: &writer)
        try PeerVector(device: device.blob, vector: Data(writer.bytes)).save(db)
    }

    /// The vector `device` last said it holds; nil if it never said.
    /// - Throws: when the stored vector is damaged.
    static func vector(of device: DeviceID, _ db: Database) throws -> VersionVector? {
        try PeerVector.fetchOne(db, key: device.blob)?.decoded().1
    }

    /// The vector each device last said it holds.
    /// - Parameter skippingDamaged: leave out a vector that does not decode (repair), instead of throwing.
    static func vectors(_ db: Database, skippingDamaged: Bool = false) throws -> [DeviceID: VersionVector] {
        var vectors: [DeviceID: VersionVector] = [:]
        for row in try PeerVector.fetchAll(db) {
            guard let (device, vector) = skippingDamaged ? try? row.decoded() : try row.decoded() else { continue }
            vectors[device] = vector
        }
        return vectors
    }

    private static func format(_ milliseconds: Int64) -> String? {
        milliseconds == 0 ? nil : RegisterReading.format(HLCTimestamp(milliseconds: UInt64(milliseconds), counter: 0))
    }
}
