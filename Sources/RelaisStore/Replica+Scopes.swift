import Foundation
import GRDB
import RelaisCore
import RelaisCrypto

extension Replica {
    /// What this device may hold: a hub or a node outside any team everything, a field device
    /// its care teams' persons and the organisation's (SPEC.md §14).
    static func scopeReader(of device: DeviceID, _ db: Database) throws -> ScopeReader {
        try teamState(db)?.roster.scopeReader(of: device) ?? .everything
    }

    func applier(_ storage: SQLiteReplicaStorage, _ db: Database) throws -> ChangeApplier {
        ChangeApplier(storage: storage, reader: try Self.scopeReader(of: keyring.device, db))
    }

    /// Moves a person (with the duplicates merged into it) to exactly these care teams; none: the
    /// whole organisation. Devices that lose access purge the file when they learn of it.
    public func movePerson(_ id: String, to teams: Set<CareTeam>) throws(StoreError) {
        try commit { builder, db in
            let groups = try mergeGroups(db)
            for person in try groupMembers(of: groups.root(of: try resolvePerson(id, db).id), groups: groups, db) {
                try appendScope(teams, of: person.id, creation: person.creation, into: &builder, SQLiteReplicaStorage(db))
            }
        }
        personKeys.removeAll()
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
        try Self.teamState(db)?.roster.careTeams[keyring.device] ?? []
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

    /// The stored changes carrying operations of `persons` that `reader` may hold, each redacted
    /// for it as in a session, to fill a peer's missing operations (SPEC.md §14).
    public func fillChanges(of persons: [RecordID], for reader: ScopeReader, bytesMax: Int) throws(StoreError) -> [Change] {
        try read { db in
            let storage = SQLiteReplicaStorage(db)
            // The peer holds every change here: it asks only for persons it awaits.
            var scopes = ScopeCache(storage: storage, reader: reader, peerHolds: try storage.versionVector())
            var seen: Set<ChangeHeader> = []
            var result: [Change] = []
            var bytes = 0
            for person in persons where try storage.holding(of: person) != .outside && scopes.mayHold(person) {
                for change in try storage.storedChanges(of: person)
                where change.slots.contains(where: { $0.carriesOperation(of: person) }) && seen.insert(change.header).inserted {
                    let redacted = try scopes.redacted(change)
                    bytes += redacted.encoded.count
                    guard bytes <= bytesMax else { return result }
                    result.append(redacted)
                }
            }
            return result
        }
    }

    /// Fills redacted operations of awaiting persons from a peer's copies of changes held here,
    /// each checked against the digest its origin signed; rebuilds every file no longer missing
    /// anything. Returns the persons rebuilt.
    @discardableResult
    public func fill(_ changes: [Change]) throws(StoreError) -> [RecordID] {
        let rebuilt: [RecordID] = try write { db in
            let storage = SQLiteReplicaStorage(db)
            var touched: Set<RecordID> = []
            for change in changes {
                if let persons = try replacesDamaged(change, db) {
                    touched.formUnion(persons)
                    continue
                }
                guard
                    let body = try Data.fetchOne(
                        db, sql: "SELECT body FROM changes WHERE origin = ? AND sequence = ?",
                        arguments: [change.origin.blob, Int64(change.sequence)])
                else { continue }
                let stored = try Change(decoding: [UInt8](body))
                let awaiting = try Set(stored.redactedPersons.filter { try storage.holding(of: $0) == .awaiting })
                guard let filled = stored.filling(from: change, persons: awaiting, digest: Change.operationDigest) else {
                    continue
                }
                try storage.replaceStoredChange(filled)
                touched.formUnion(awaiting)
            }
            let applier = try applier(storage, db)
            let rebuilt = try Array(touched.filter { try applier.rebuildIfComplete($0) })
            try refreshDerivedState(of: Set(rebuilt), db)
            return rebuilt
        }
        for person in rebuilt { personKeys[person] = nil }
        return rebuilt
    }
}

extension Replica {
    /// Stores a peer's copy of a change `relais repair` set aside as damaged, once it verifies.
    /// - Returns: the persons that awaited it; nil when the change was not set aside (or is forged).
    private func replacesDamaged(_ change: Change, _ db: Database) throws -> [RecordID]? {
        let arguments: StatementArguments = [change.origin.blob, Int64(change.sequence)]
        let persons = try Data.fetchAll(
            db, sql: "SELECT person FROM damaged_changes WHERE origin = ? AND sequence = ?", arguments: arguments
        ).map { try RecordID(blob: $0) }
        guard !persons.isEmpty, (try? verify(change, db)) != nil else { return nil }
        try SQLiteReplicaStorage(db).storeChange(change)
        try db.execute(sql: "DELETE FROM damaged_changes WHERE origin = ? AND sequence = ?", arguments: arguments)
        return persons
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
