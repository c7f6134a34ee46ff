import Foundation
import GRDB
import RelaisCore

/// The replica's own facts, in its `meta` table: the clock, and whether it must take a new
/// identity before it signs again.
enum ReplicaMeta {
    /// The last timestamp this replica issued or observed.
    static func clock(_ db: Database) throws -> HLCTimestamp {
        let raw = try Int64.fetchOne(db.cachedStatement(sql: "SELECT value FROM meta WHERE key = 'clock'")) ?? 0
        return HLCTimestamp(rawValue: UInt64(bitPattern: raw))
    }

    static func saveClock(_ timestamp: HLCTimestamp, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('clock', ?)").execute(
            arguments: [Int64(bitPattern: timestamp.rawValue)])
    }

    /// Whether this replica must take a new identity before it signs anything (`Replica.mustChangeIdentity`).
    static func mustChangeIdentity(_ db: Database) throws -> Bool {
        try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [mustChangeIdentityKey]) != nil
    }

    static func markMustChangeIdentity(_ db: Database) throws {
        try db.execute(
            sql: "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", arguments: [mustChangeIdentityKey, Data([1])])
    }

    static func clearMustChangeIdentity(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [mustChangeIdentityKey])
    }

    /// The file identity (inode) the database last had, as text (`Replica.checkFileIdentity`).
    static func fileIdentity(_ db: Database) throws -> Data? {
        try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [fileIdentityKey])
    }

    static func saveFileIdentity(_ identity: Data, _ db: Database) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", arguments: [fileIdentityKey, identity])
    }

    private static let mustChangeIdentityKey = "must_change_identity"
    private static let fileIdentityKey = "file_identity"
}
