import Foundation
import GRDB
import RelaisCore

extension ChangeLog {
    /// The change this replica holds at the end of each origin, named with its vector (SPEC.md §11).
    func changeHeads() throws(StoreError) -> [ChangeHead] {
        try database.reading { db in
            try SQLiteReplicaStorage(db).versionVector().sortedEntries.compactMap { entry in
                try Self.heldHead(entry.origin, entry.sequence, db).map {
                    ChangeHead(origin: entry.origin, sequence: entry.sequence, head: $0)
                }
            }
        }
    }

    /// Notes every origin that signed, under a number this replica holds, another change than the
    /// one held here: the peer's heads say so, though the two vectors agree. Neither change is
    /// dropped; the difference is shown (`relais status`) for an admin to act on.
    /// - Returns: how many such numbers this session revealed.
    @discardableResult
    func compareHeads(_ heads: [ChangeHead], peer: DeviceID?) throws(StoreError) -> Int {
        // Read first: nearly every session finds nothing, and needs no durable write for it.
        let (differing, isBehind) = try database.reading { db in
            let vector = try SQLiteReplicaStorage(db).versionVector()
            let differing = try heads.filter { head in
                guard head.sequence <= vector[head.origin], let held = try Self.heldHead(head.origin, head.sequence, db) else {
                    return false
                }
                return held != head.head
            }
            // A peer holding more of this device's own changes than this replica does: the
            // replica went back in time (a copy put back, a lost write-ahead log). Writing on
            // would sign numbers the peer already holds.
            let isBehind = heads.contains { $0.origin == keys.keyring.device && $0.sequence > vector[keys.keyring.device] }
            return (differing, isBehind)
        }
        guard isBehind || !differing.isEmpty else { return 0 }
        let now = wallClock()
        return try database.writing { db in
            if isBehind || differing.contains(where: { $0.origin == keys.keyring.device }) {
                try ReplicaMeta.markMustChangeIdentity(db)
            }
            var found = 0
            for head in differing {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO equivocations (origin, sequence, seen_at_ms, peer) VALUES (?, ?, ?, ?)",
                    arguments: [head.origin.blob, Int64(head.sequence), Int64(now.milliseconds), peer?.blob])
                found += db.changesCount
            }
            return found
        }
    }
}
