import Foundation
import GRDB
import RelaisCore

/// A peer as `relais status` shows it.
public struct PeerStatus: Codable, Hashable, Sendable {
    public let address: String
    public let device: String?
    public let lastAttempt: String?
    public let lastSuccess: String?
    public let lastError: String
    public let changesSent: Int
    public let changesReceived: Int
}

extension Replica {
    /// Records the outcome of a session with the peer at `address`.
    public func recordSession(
        address: String, device: DeviceID?, succeeded: Bool, error: String, changesSent: Int, changesReceived: Int
    ) throws(StoreError) {
        let now = Int64(wallClock().milliseconds)
        try write { db in
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
                    address, device?.blob, now, succeeded ? now : 0, error, changesSent, changesReceived, succeeded,
                ])
        }
    }

    public func peers() throws(StoreError) -> [PeerStatus] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM peers ORDER BY address").map { row in
                PeerStatus(
                    address: try row.value("address"),
                    device: try (try row.value("device") as Data?).map { try DeviceID(blob: $0).description },
                    lastAttempt: Self.formatMilliseconds(try row.value("last_attempt_ms")),
                    lastSuccess: Self.formatMilliseconds(try row.value("last_success_ms")),
                    lastError: try row.value("last_error"),
                    changesSent: try row.value("changes_sent"), changesReceived: try row.value("changes_received"))
            }
        }
    }

    private static func formatMilliseconds(_ milliseconds: Int64) -> String? {
        milliseconds == 0 ? nil : RegisterReading.format(HLCTimestamp(milliseconds: UInt64(milliseconds), counter: 0))
    }
}
