import Foundation
import GRDB
import RelaisCore

/// The last number this device signed, kept beside the database in a file of its own (`signed`):
/// a database that lost its last writes (a deleted write-ahead log, a database file put back
/// alone) would otherwise sign those numbers again. Written after each local commit, without
/// waiting for the disk: a crash can only leave it behind the database, never ahead.
extension Replica {
    /// Notes `sequence` as the last one this device signed.
    func noteSigned(_ sequence: UInt64) {
        guard let path = highWaterPath else { return }
        try? Data("\(keyring.device.hex) \(sequence)\n".utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Whether this device signed more than the database holds of it: the database went back in
    /// time, and the replica must take a new identity before signing again.
    func checkHighWater() throws(StoreError) {
        guard let path = highWaterPath, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
        let parts = text.split(whereSeparator: \.isWhitespace)
        guard parts.count == 2, parts[0] == keyring.device.hex, let signed = UInt64(parts[1]) else { return }
        guard try versionVector[keyring.device] < signed else { return }
        try write { db in
            if try Self.teamState(db) != nil { try Self.markMustChangeIdentity(db) }
        }
    }

    private var highWaterPath: String? {
        keyringFile.map { URL(fileURLWithPath: $0.path).deletingLastPathComponent().appendingPathComponent("signed").path }
    }
}
