import Foundation
import GRDB
import RelaisCore

extension Replica {
    /// The changes this replica holds and its version vector.
    public func changeLog() throws(StoreError) -> ChangeLogView {
        try read { db in
            let storage = SQLiteReplicaStorage(db)
            let bodies = try Data.fetchAll(db, sql: "SELECT body FROM changes ORDER BY timestamp, origin, sequence")
            let changes = try bodies.map { body in
                let change = try Change(decoding: [UInt8](body))
                return ChangeSummary(
                    origin: change.origin.description, sequence: change.sequence,
                    writtenAt: RegisterReading.format(change.timestamp), operations: change.slots.count,
                    redacted: change.slots.count { if case .redacted = $0 { true } else { false } })
            }
            let vector = try storage.versionVector().sortedEntries.map { ($0.origin.description, $0.sequence) }
            return ChangeLogView(
                device: keyring.device.description, vector: Dictionary(uniqueKeysWithValues: vector),
                pending: try storage.pendingCount(), skewedDevices: try skewedDevices(db), changes: changes)
        }
    }

    /// Changes held until their predecessors arrive.
    public var pendingCount: Int {
        get throws(StoreError) { try read { try SQLiteReplicaStorage($0).pendingCount() } }
    }

    /// Changes refused because another one held their number, oldest first.
    public func equivocations() throws(StoreError) -> [Equivocation] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT origin, sequence, seen_at_ms FROM equivocations ORDER BY seen_at_ms").map { row in
                Equivocation(
                    device: try DeviceID(blob: row.value("origin")).description,
                    sequence: UInt64(try row.value("sequence") as Int64),
                    seenAt: RegisterReading.format(
                        HLCTimestamp(milliseconds: UInt64(try row.value("seen_at_ms") as Int64), counter: 0)))
            }
        }
    }

    /// Peers whose clocks were found far ahead of this device's.
    public func skewedDevices() throws(StoreError) -> [SkewedDevice] {
        try read { try skewedDevices($0) }
    }

    private func skewedDevices(_ db: Database) throws -> [SkewedDevice] {
        try Row.fetchAll(db, sql: "SELECT device, ahead_ms, seen_at_ms FROM clock_skew ORDER BY device").map { row in
            SkewedDevice(
                device: try DeviceID(blob: row.value("device")).description,
                aheadSeconds: UInt64(try row.value("ahead_ms") as Int64) / 1_000,
                seenAt: RegisterReading.format(
                    HLCTimestamp(milliseconds: UInt64(try row.value("seen_at_ms") as Int64), counter: 0)))
        }
    }

    public var versionVector: VersionVector {
        get throws(StoreError) { try read { try SQLiteReplicaStorage($0).versionVector() } }
    }
}

extension Replica {
    /// The type of the record `id` names (its id, or at least 6 of its first digits): which fields it has.
    /// - Throws: `StoreError.noRecord`, `.ambiguousRecord`, `.unreadable`.
    public func recordType(of id: String) throws(StoreError) -> String {
        try read { db in try records.recordType(of: records.resolveRecord(id, db), db) }
    }
}
