import Foundation
import GRDB
import RelaisCore

/// The stored changes a peer lacks, oldest first (timestamp, origin, sequence), read by one
/// primary-key range per origin and merged: a session with little to send reads little, however
/// long the history (a single query ordered by timestamp sorted every stored change each time).
/// Each origin's changes come in sequence order, which is also their timestamp order.
struct MissingChanges {
    private struct Head {
        let timestamp: Int64
        let origin: DeviceID
        let sequence: Int64
        let body: Data
        let rows: RowCursor

        var order: (Int64, DeviceID, Int64) { (timestamp, origin, sequence) }
    }

    private var heads: [Head] = []

    init(_ db: Database, local: VersionVector, peer: VersionVector) throws {
        for (origin, sequence) in local.sortedEntries where sequence > peer[origin] {
            let rows = try Row.fetchCursor(
                db, sql: "SELECT sequence, timestamp, body FROM changes WHERE origin = ? AND sequence > ? ORDER BY sequence",
                arguments: [origin.blob, Int64(peer[origin])])
            if let head = try Self.head(origin, rows) { heads.append(head) }
        }
    }

    /// The encoded body of the oldest change not yet taken.
    func peek() -> Data? { oldest.map { heads[$0].body } }

    mutating func advance() throws {
        guard let index = oldest else { return }
        if let next = try Self.head(heads[index].origin, heads[index].rows) {
            heads[index] = next
        } else {
            heads.remove(at: index)
        }
    }

    private var oldest: Int? { heads.indices.min { heads[$0].order < heads[$1].order } }

    private static func head(_ origin: DeviceID, _ rows: RowCursor) throws -> Head? {
        guard let row = try rows.next() else { return nil }
        return Head(
            timestamp: try row.value("timestamp"), origin: origin, sequence: try row.value("sequence"),
            body: try row.value("body"), rows: rows)
    }
}
