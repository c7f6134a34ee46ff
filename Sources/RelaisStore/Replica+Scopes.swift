import Foundation
import GRDB
import RelaisCore

extension Replica {
    /// Persons in this replica's scope whose files lack operations, to ask peers for.
    public func awaitingPersons(limit: Int) throws(StoreError) -> [RecordID] {
        try read { db in
            try Data.fetchAll(
                db, sql: "SELECT person FROM holdings WHERE holding = ? LIMIT ?",
                arguments: [PersonHolding.awaiting.rawValue, limit]
            ).map { try RecordID(blob: $0) }
        }
    }

    /// What the device `peer` may hold, by this node's roster; a peer without certificate or
    /// unknown to the roster only the organisation's persons.
    public func scopeReader(of peer: DeviceID?) throws(StoreError) -> ScopeReader {
        guard let team = try teamState else { return .everything }
        guard let peer else { return ScopeReader(holdsAll: false, careTeams: []) }
        return team.roster.scopeReader(of: peer)
    }
}
