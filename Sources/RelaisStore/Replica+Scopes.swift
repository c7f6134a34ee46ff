import Foundation
import GRDB
import RelaisCore
import RelaisCrypto

extension Replica {
    /// Moves a person (with the duplicates merged into it) to exactly these care teams; none: the
    /// whole organisation. Devices that lose access purge the file when they learn of it.
    public func movePerson(_ id: String, to teams: Set<CareTeam>) throws(StoreError) {
        try commit { builder, db in
            let groups = try records.mergeGroups(db)
            for person in try records.groupMembers(of: groups.root(of: try records.resolvePerson(id, db).id), groups: groups, db)
            {
                try appendScope(teams, of: person.id, creation: person.creation, into: &builder, SQLiteReplicaStorage(db))
            }
        }
    }

    func appendScope(
        _ teams: Set<CareTeam>, of person: RecordID, creation: Dot?, into builder: inout ChangeBuilder,
        _ storage: SQLiteReplicaStorage
    ) throws {
        let superseded = try storage.scope(of: person).dots
        builder.append(
            Operation(person: person, record: person, body: .setScope(supersedes: superseded, careTeams: teams)),
            dependingOn: superseded + (creation.map { [$0] } ?? []))
    }

    /// The care teams a new person written here belongs to unless told: this device's own.
    func defaultCareTeams(_ db: Database) throws -> Set<CareTeam> {
        try TeamState.stored(db)?.roster.careTeams[keyring.device] ?? []
    }

    /// The person's care teams (empty: the whole organisation) and whether its file is still
    /// awaiting operations this replica only has as digests.
    func scopeStatus(of person: RecordID, _ db: Database) throws -> (careTeams: [String], incomplete: Bool) {
        let storage = SQLiteReplicaStorage(db)
        let teams = try PersonScope(register: storage.scope(of: person)).careTeams
        return ((teams ?? []).sorted().map(\.name), try storage.holding(of: person) == .awaiting)
    }

    /// Persons in this replica's scope whose files lack operations, to ask peers for.
    public func awaitingPersons(limit: Int) throws(StoreError) -> [RecordID] {
        try read { db in
            try Data.fetchAll(
                db, sql: "SELECT person FROM holdings WHERE holding = ? LIMIT ?",
                arguments: [PersonHolding.awaiting.rawValue, limit]
            ).map { try RecordID(blob: $0) }
        }
    }

}

/// The redaction of changes for one peer (SPEC.md §14): a person's operations are sent as
/// digests only when the peer is outside the person's scope **and** already holds every scope
/// write that puts it there, so it can always tell why they were redacted; otherwise in full.
struct ScopeCache {
    let storage: SQLiteReplicaStorage
    let reader: ScopeReader
    /// What the peer holds, raised by every change sent to it.
    private var peerHolds: VersionVector
    private var scopes: [RecordID: MultiValueRegister] = [:]

    init(storage: SQLiteReplicaStorage, reader: ScopeReader, peerHolds: VersionVector) {
        self.storage = storage
        self.reader = reader
        self.peerHolds = peerHolds
    }

    mutating func mayHold(_ person: RecordID) throws -> Bool {
        if reader.holdsAll { return true }
        let register = try scopes[person] ?? storage.scope(of: person)
        scopes[person] = register
        if reader.mayHold(try PersonScope(register: register)) { return true }
        return !register.dots.allSatisfy { peerHolds.contains(origin: $0.origin, sequence: $0.sequence) }
    }

    /// The change as the peer may receive it; the peer is then taken to hold it. Its own scope
    /// writes count as held: the peer applies them before the change's other operations.
    mutating func redacted(_ change: Change) throws -> Change {
        peerHolds.raise(change.origin, to: change.sequence)
        if reader.holdsAll { return change }
        var hidden: Set<RecordID> = []
        for case .operation(let operation) in change.slots where try !mayHold(operation.person) {
            hidden.insert(operation.person)
        }
        return hidden.isEmpty ? change : change.redacting(hidden, digest: Change.operationDigest)
    }
}

extension Replica {
    /// What the device `peer` may hold, by this node's roster; a peer without certificate or
    /// unknown to the roster only the organisation's persons.
    public func scopeReader(of peer: DeviceID?) throws(StoreError) -> ScopeReader {
        guard let team = try teamState else { return .everything }
        guard let peer else { return ScopeReader(holdsAll: false, careTeams: []) }
        return team.roster.scopeReader(of: peer)
    }
}
