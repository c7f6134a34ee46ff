import Foundation
import GRDB
import RelaisCore

extension TeamState {
    /// The team this replica belongs to, from its `team` table; nil outside any team.
    static func stored(_ db: Database) throws -> TeamState? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: "SELECT admin_key, certificate, substr(roster, -64) AS signature FROM team WHERE singleton = 1")
        else { return nil }
        let roster = try RosterCache.shared.roster(signature: try row.bytes("signature")) {
            [UInt8](try Data.fetchOne(db, sql: "SELECT roster FROM team WHERE singleton = 1") ?? Data())
        }
        return TeamState(
            team: roster.team, roster: roster, adminKey: try row.bytes("admin_key"),
            certificate: try DeviceCertificate(decoding: try row.bytes("certificate")))
    }

    /// What `device` may hold: a hub or a node outside any team everything, a field device its
    /// care teams' persons and the organisation's (SPEC.md §14).
    static func scopeReader(of device: DeviceID, _ db: Database) throws -> ScopeReader {
        try stored(db)?.roster.scopeReader(of: device) ?? .everything
    }
}
