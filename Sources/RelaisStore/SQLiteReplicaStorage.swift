import Foundation
import GRDB
import RelaisCore
import RelaisCrypto

/// RelaisCore's `ReplicaStorage` on SQLite, used inside one write transaction.
///
/// The version vector and the number of held changes are read once and then kept in step by this
/// instance: they are asked for at every change of a batch, and only this type writes them. Use one
/// instance per transaction where changes are applied.
final class SQLiteReplicaStorage: ReplicaStorage {
    private let db: Database
    private var vector: VersionVector?
    private var pending: Int?
    private var revocationBounds: [DeviceID: UInt64?] = [:]

    init(_ db: Database) { self.db = db }

    func versionVector() throws -> VersionVector {
        if let vector { return vector }
        var entries: [DeviceID: UInt64] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT origin, sequence FROM vector")) {
            entries[try DeviceID(blob: row.value("origin"))] = UInt64(try row.value("sequence") as Int64)
        }
        let loaded = VersionVector(entries)
        vector = loaded
        return loaded
    }

    func raiseVersion(of origin: DeviceID, to sequence: UInt64) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO vector (origin, sequence) VALUES (?, ?)
                ON CONFLICT (origin) DO UPDATE SET sequence = max(sequence, excluded.sequence)
                """
        ).execute(arguments: [origin.blob, Int64(sequence)])
        vector?.raise(origin, to: sequence)
    }

    func record(_ id: RecordID) throws -> RecordState? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM records WHERE id = ?"), arguments: [id.blob])
        else {
            return nil
        }
        return try Self.recordState(row)
    }

    static func recordState(_ row: Row) throws -> RecordState {
        var reader = BinaryReader(try row.bytes("creation"))
        return RecordState(
            id: try RecordID(blob: row.value("id")), person: try RecordID(blob: row.value("person")),
            sealedType: try row.bytes("sealed_type"), creation: try Dot.decode(from: &reader),
            isDeleted: try row.value("deleted") as Bool)
    }

    func putRecord(_ state: RecordState) throws {
        var writer = BinaryWriter()
        state.creation.encode(into: &writer)
        try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO records (id, person, sealed_type, creation, deleted) VALUES (?, ?, ?, ?, ?)"
        ).execute(
            arguments: [state.id.blob, state.person.blob, Data(state.sealedType), Data(writer.bytes), state.isDeleted])
    }

    func register(record: RecordID, field: FieldToken) throws -> MultiValueRegister {
        let sql = "SELECT state FROM registers WHERE record = ? AND field = ?"
        guard let state = try Data.fetchOne(db.cachedStatement(sql: sql), arguments: [record.blob, field.column]) else {
            return MultiValueRegister()
        }
        return try MultiValueRegister(decoding: [UInt8](state))
    }

    /// The tokens of every field a record holds values for, known to this version or not.
    func fieldTokens(of record: RecordID) throws -> Set<FieldToken> {
        let sql = "SELECT field FROM registers WHERE record = ? UNION SELECT field FROM elements WHERE record = ?"
        return Set(
            try Int64.fetchAll(db.cachedStatement(sql: sql), arguments: [record.blob, record.blob]).map {
                FieldToken(rawValue: UInt64(bitPattern: $0))
            })
    }

    func putRegister(_ register: MultiValueRegister, record: RecordID, field: FieldToken) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO registers (record, field, entries, state) VALUES (?, ?, ?, ?)")
            .execute(
                arguments: [record.blob, field.column, register.entries.count, Data(register.encoded)])
    }

    func elements(record: RecordID, field: FieldToken) throws -> AddWinsSet {
        let sql = "SELECT state FROM elements WHERE record = ? AND field = ?"
        guard let state = try Data.fetchOne(db.cachedStatement(sql: sql), arguments: [record.blob, field.column]) else {
            return AddWinsSet()
        }
        return try AddWinsSet(decoding: [UInt8](state))
    }

    func putElements(_ set: AddWinsSet, record: RecordID, field: FieldToken) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO elements (record, field, state) VALUES (?, ?, ?)").execute(
            arguments: [record.blob, field.column, Data(set.encoded)])
    }

    func putPersonKey(person: RecordID, epoch: UInt32, wrappedKey: [UInt8]) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO person_keys (person, epoch, wrapped) VALUES (?, ?, ?)").execute(
            arguments: [person.blob, Int64(epoch), Data(wrappedKey)])
    }

    func isErased(_ person: RecordID) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM erased WHERE person = ?"), arguments: [person.blob]) ?? false
    }

    func noteVoidedErasure(of person: RecordID) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO voided_erasures (person) VALUES (?)").execute(arguments: [person.blob])
    }

    func hasVoidedErasure(of person: RecordID) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM voided_erasures WHERE person = ?"), arguments: [person.blob])
            ?? false
    }

    func noteVoided(record: RecordID) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO voided_records (record) VALUES (?)").execute(arguments: [record.blob])
    }

    func isVoided(_ record: RecordID) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM voided_records WHERE record = ?"), arguments: [record.blob])
            ?? false
    }

    /// Destroys the key first: whatever ciphertext a disk still holds is unreadable from then on.
    /// The person's changes stay listed (redacted): a void erasure may be taken back.
    func erase(_ person: RecordID) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO erased (person) VALUES (?)", arguments: [person.blob])
        try dropData(of: person)
        try redactChanges(of: person)
    }

    func noteErasure(of person: RecordID, by origin: DeviceID, sequence: UInt64) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO erasures (person, origin, sequence) VALUES (?, ?, ?)").execute(
            arguments: [person.blob, origin.blob, Int64(sequence)])
    }

    func forgetErasures(by origin: DeviceID, after sequence: UInt64) throws {
        try db.execute(
            sql: "DELETE FROM erasures WHERE origin = ? AND sequence > ?", arguments: [origin.blob, Int64(sequence)])
    }

    func hasErasure(of person: RecordID) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM erasures WHERE person = ? LIMIT 1", arguments: [person.blob]) ?? false
    }

    func unerase(_ person: RecordID) throws {
        try db.execute(sql: "DELETE FROM erased WHERE person = ?", arguments: [person.blob])
    }

    /// Asked for every change: remembered per origin for the transaction.
    func revocationBound(of origin: DeviceID) throws -> UInt64? {
        if let known = revocationBounds[origin] { return known }
        let bound = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT revoked_through FROM devices WHERE id = ?"), arguments: [origin.blob]
        ).map(UInt64.init)
        revocationBounds[origin] = .some(bound)
        return bound
    }

    func changes(of origin: DeviceID, after sequence: UInt64) throws -> [Change] {
        let arguments: StatementArguments = [origin.blob, Int64(sequence)]
        let stored = try Data.fetchAll(
            db, sql: "SELECT body FROM changes WHERE origin = ? AND sequence > ?", arguments: arguments)
        let held = try Data.fetchAll(db, sql: "SELECT body FROM pending WHERE origin = ? AND sequence > ?", arguments: arguments)
        return try (stored + held).map { try Change(decoding: [UInt8]($0)) }
    }

    /// Redacts the person's operations only in the changes a hub is known to hold: this replica
    /// may be the only one to have the others (its own unsynced visits), which stay until a hub
    /// has them (`finishPurges`).
    func purge(_ person: RecordID) throws {
        try dropData(of: person)
        try redactChanges(of: person, keepingUnsaved: true)
    }

    /// Completes the purges that had to keep changes no hub held yet.
    func finishPurges() throws {
        for person in try Data.fetchAll(db, sql: "SELECT person FROM unfinished_purges").map({ try RecordID(blob: $0) }) {
            if try holding(of: person) == .outside {
                try redactChanges(of: person, keepingUnsaved: true)
            } else {
                try db.execute(sql: "DELETE FROM unfinished_purges WHERE person = ?", arguments: [person.blob])
            }
        }
    }

    func dropData(of person: RecordID) throws {
        let blob = person.blob
        try db.execute(sql: "DELETE FROM person_keys WHERE person = ?", arguments: [blob])
        try db.execute(
            sql: """
                DELETE FROM registers WHERE record IN (SELECT id FROM records WHERE person = ?);
                DELETE FROM elements WHERE record IN (SELECT id FROM records WHERE person = ?);
                DELETE FROM records WHERE person = ?;
                DELETE FROM search_tokens WHERE person = ?;
                DELETE FROM merge_links WHERE duplicate = ?;
                """, arguments: [blob, blob, blob, blob, blob])
    }

    private func redactChanges(of person: RecordID, keepingUnsaved: Bool = false) throws {
        let hubs = keepingUnsaved ? try hubVectors() : []
        var kept = false
        for change in try storedChanges(of: person) where change.slots.contains(where: { $0.carriesOperation(of: person) }) {
            guard !keepingUnsaved || hubs.contains(where: { $0.contains(origin: change.origin, sequence: change.sequence) })
            else {
                kept = true
                continue
            }
            try replaceStoredChange(change.redacting([person], digest: Change.operationDigest))
        }
        for change in try pendingChanges() where change.slots.contains(where: { $0.person == person }) {
            try db.execute(
                sql: "UPDATE pending SET body = ? WHERE origin = ? AND sequence = ?",
                arguments: [
                    Data(change.redacting([person], digest: Change.operationDigest).encoded), change.origin.blob,
                    Int64(change.sequence),
                ])
        }
        try db.execute(
            sql: kept
                ? "INSERT OR IGNORE INTO unfinished_purges (person) VALUES (?)"
                : "DELETE FROM unfinished_purges WHERE person = ?",
            arguments: [person.blob])
    }

    /// What the team's hubs last said they hold.
    private func hubVectors() throws -> [VersionVector] {
        guard let team = try TeamState.stored(db) else { return [] }
        return try team.roster.certificates.filter { $0.role == .hub }.compactMap { try PeerLedger.vector(of: $0.device, db) }
    }

    func storedChanges(of person: RecordID) throws -> [Change] {
        try Data.fetchAll(
            db,
            sql: """
                SELECT c.body FROM change_persons p JOIN changes c ON c.origin = p.origin AND c.sequence = p.sequence
                WHERE p.person = ? ORDER BY c.timestamp, c.origin, c.sequence
                """, arguments: [person.blob]
        ).map { try Change(decoding: [UInt8]($0)) }
    }

    func awaitsCopies(of person: RecordID) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM damaged_changes WHERE person = ?)"), arguments: [person.blob])
            ?? false
    }

    func replaceStoredChange(_ change: Change) throws {
        try db.execute(
            sql: "UPDATE changes SET body = ? WHERE origin = ? AND sequence = ?",
            arguments: [Data(change.encoded), change.origin.blob, Int64(change.sequence)])
    }

    func storeChange(_ change: Change) throws {
        let persons = Set(change.slots.map(\.person))
        let erased = try Set(persons.filter { try isErased($0) })
        let hidden = try erased.union(persons.filter { try holding(of: $0) == .outside })
        let stored = hidden.isEmpty ? change : change.redacting(hidden, digest: Change.operationDigest)
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO changes (origin, sequence, timestamp, body) VALUES (?, ?, ?, ?)")
            .execute(arguments: [
                change.origin.blob, Int64(change.sequence), Int64(bitPattern: change.timestamp.rawValue), Data(stored.encoded),
            ])
        let notePerson = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO change_persons (person, origin, sequence) VALUES (?, ?, ?)")
        for person in persons {
            try notePerson.execute(arguments: [person.blob, change.origin.blob, Int64(change.sequence)])
        }
    }

    func scope(of person: RecordID) throws -> MultiValueRegister {
        guard
            let state = try Data.fetchOne(
                db.cachedStatement(sql: "SELECT state FROM scopes WHERE person = ?"), arguments: [person.blob])
        else { return MultiValueRegister() }
        return try MultiValueRegister(decoding: [UInt8](state))
    }

    func putScope(_ register: MultiValueRegister, of person: RecordID) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO scopes (person, state) VALUES (?, ?)").execute(
            arguments: [person.blob, Data(register.encoded)])
    }

    func scopedPersons() throws -> [RecordID] {
        try Data.fetchAll(db, sql: "SELECT person FROM scopes").map { try RecordID(blob: $0) }
    }

    func holding(of person: RecordID) throws -> PersonHolding {
        let raw = try UInt8.fetchOne(
            db.cachedStatement(sql: "SELECT holding FROM holdings WHERE person = ?"), arguments: [person.blob])
        return raw.flatMap(PersonHolding.init(rawValue:)) ?? .held
    }

    func setHolding(_ holding: PersonHolding, of person: RecordID) throws {
        if holding == .held {
            try db.cachedStatement(sql: "DELETE FROM holdings WHERE person = ?").execute(arguments: [person.blob])
        } else {
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO holdings (person, holding) VALUES (?, ?)").execute(
                arguments: [person.blob, holding.rawValue])
        }
    }

    func pendingChanges() throws -> [Change] {
        guard try pendingCount() > 0 else { return [] }
        return try Data.fetchAll(db, sql: "SELECT body FROM pending ORDER BY timestamp").map {
            try Change(decoding: [UInt8]($0))
        }
    }

    func pendingCount() throws -> Int {
        if let pending { return pending }
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM pending") ?? 0
        pending = count
        return count
    }

    func holdPending(_ change: Change) throws {
        try db.execute(
            sql: "INSERT OR IGNORE INTO pending (origin, sequence, timestamp, body) VALUES (?, ?, ?, ?)",
            arguments: [
                change.origin.blob, Int64(change.sequence), Int64(bitPattern: change.timestamp.rawValue), Data(change.encoded),
            ])
        pending = pending.map { $0 + db.changesCount }
    }

    func releasePending(origin: DeviceID, sequence: UInt64) throws {
        try db.execute(
            sql: "DELETE FROM pending WHERE origin = ? AND sequence = ?", arguments: [origin.blob, Int64(sequence)])
        pending = pending.map { $0 - db.changesCount }
    }
}
