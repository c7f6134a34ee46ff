import Foundation
import GRDB
import RelaisCore
import RelaisCrypto

/// One pass over a replica's database for `relais check`, inside a transaction its caller rolls
/// back: each person's file is compared with a rebuild from its changes, which writes.
///
/// Everything a read shows comes from a stored change (signed, so verifiable) or is derived
/// from them (so comparable with a rebuild): together the two checks leave no byte of a person's
/// file that can change unnoticed.
struct ReplicaInspection {
    let replica: Replica
    private(set) var damages: [Damage] = []
    private(set) var changesChecked = 0
    private(set) var personsChecked = 0
    private(set) var valuesChecked = 0
    /// Stored changes whose bodies no longer verify, with the persons the index says they touch.
    private(set) var damagedChanges: [ChangeKey: Set<RecordID>] = [:]
    /// Held changes that no longer verify.
    private(set) var damagedHeld: [ChangeKey] = []
    /// The roster's signing key of each device it lists, when the roster verifies.
    private(set) var rosterKeys: [DeviceID: [UInt8]] = [:]
    private var keptKeysRead: [DeviceID: [UInt8]]?

    struct ChangeKey: Hashable {
        let origin: Data
        let sequence: Int64
    }

    private struct IndexEntry: Hashable {
        let person: Data
        let change: ChangeKey
    }

    init(replica: Replica) { self.replica = replica }

    var report: CheckReport {
        CheckReport(changes: changesChecked, persons: personsChecked, values: valuesChecked, damages: damages)
    }

    /// Runs every check; a part of the file SQLite cannot read is reported, and the others still run.
    mutating func run(_ db: Database) {
        checkStructure(db)
        checkSignedData(db)
        section("the list of erased persons", db) { try $0.checkErasures($1) }
        section("the persons' files", db) { try $0.checkPersons($1) }
    }

    /// What peers can send again: the roster, the stored and the held changes.
    mutating func checkSignedData(_ db: Database) {
        section("the team roster", db) { try $0.checkTeam($1) }
        section("the change log", db) { try $0.checkChanges($1) }
        section("the held changes", db) { try $0.checkHeld($1) }
    }

    private mutating func section(_ name: String, _ db: Database, _ body: (inout Self, Database) throws -> Void) {
        do {
            try body(&self, db)
        } catch {
            note(.file, "part of the file cannot be read (\(name)): restore the folder from its backup", repairable: false)
        }
    }

    private mutating func note(_ kind: Damage.Kind, _ what: String, repairable: Bool) {
        damages.append(Damage(kind: kind, what: what, repairable: repairable))
    }

    private mutating func checkStructure(_ db: Database) {
        let problems = (try? String.fetchAll(db, sql: "PRAGMA integrity_check")) ?? ["unreadable"]
        guard problems != ["ok"] else { return }
        note(
            .file, "the database file's structure is damaged (\(problems.count) problem(s) found by SQLite)",
            repairable: problems.allSatisfy { $0.contains("index") })
    }

    private mutating func checkTeam(_ db: Database) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT roster, admin_key FROM team WHERE singleton = 1") else { return }
        guard let roster = try? Roster(decoding: try row.bytes("roster")),
            AdminKeyChain.verifies(roster, founding: try row.bytes("admin_key"))
        else {
            note(
                .team, "the team roster is damaged: restore the folder from its backup, or join the team again as a new device",
                repairable: false)
            return
        }
        for certificate in roster.certificates { rosterKeys[certificate.device] = certificate.signingKey }
        for (device, key) in try keptKeys(db) where rosterKeys[device].map({ $0 != key }) ?? false {
            note(.team, "the signing key kept for device \(device) is damaged; the roster holds it", repairable: true)
        }
    }

    /// The signing key this replica keeps for each device, read once per pass.
    private mutating func keptKeys(_ db: Database) throws -> [DeviceID: [UInt8]] {
        if let keptKeysRead { return keptKeysRead }
        var keys: [DeviceID: [UInt8]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, signing_key FROM devices") {
            guard let device = try? DeviceID(blob: row.value("id")) else { continue }
            keys[device] = try row.bytes("signing_key")
        }
        keptKeysRead = keys
        return keys
    }

    /// The keys a change of each origin may be signed with: the roster's, and the one kept here.
    private mutating func signingKeys(_ db: Database) throws -> [DeviceID: [[UInt8]]] {
        try rosterKeys.mapValues { [$0] }.merging(keptKeys(db).mapValues { [$0] }) { $0 + $1 }
    }

    private enum Verdict {
        case sound(Change)
        case damaged(String)
    }

    /// Whether the change stored in `row` is the one its origin signed, and why not.
    private static func verdict(_ row: Row, keys: [DeviceID: [[UInt8]]], vector: VersionVector?) -> Verdict {
        let origin: DeviceID
        let change: Change
        let sequence: Int64
        let timestamp: Int64
        do {
            origin = try DeviceID(blob: row.value("origin"))
            change = try Change(decoding: [UInt8](row.value("body") as Data))
            sequence = try row.value("sequence")
            timestamp = try row.value("timestamp")
        } catch {
            return .damaged("it cannot be decoded")
        }
        guard change.origin == origin, Int64(change.sequence) == sequence,
            Int64(bitPattern: change.timestamp.rawValue) == timestamp
        else { return .damaged("its number or time does not match its content") }
        let message = change.signingBytes(digest: Change.operationDigest)
        guard
            (keys[origin] ?? []).contains(where: {
                SigningKey.isValid(signature: change.signature, message: message, publicKey: $0)
            })
        else { return .damaged("its signature does not match its content") }
        if let vector, !vector.contains(origin: origin, sequence: change.sequence) {
            return .damaged("the replica's version vector does not count it")
        }
        return .sound(change)
    }

    private mutating func checkChanges(_ db: Database) throws {
        let keys = try signingKeys(db)
        let vector = try SQLiteReplicaStorage(db).versionVector()
        var expected: Set<IndexEntry> = []
        let rows = try Row.fetchCursor(db, sql: "SELECT origin, sequence, timestamp, body FROM changes")
        while let row = try rows.next() {
            changesChecked += 1
            let key = ChangeKey(origin: try row.value("origin"), sequence: try row.value("sequence"))
            let problem: String
            switch Self.verdict(row, keys: keys, vector: vector) {
            case .sound(let change):
                for person in Set(change.slots.map(\.person)) { expected.insert(IndexEntry(person: person.blob, change: key)) }
                continue
            case .damaged(let reason): problem = reason
            }
            damagedChanges[key] = try Set(
                Data.fetchAll(
                    db, sql: "SELECT person FROM change_persons WHERE origin = ? AND sequence = ?",
                    arguments: [key.origin, key.sequence]
                ).compactMap { try? RecordID(blob: $0) })
            let name = (try? DeviceID(blob: key.origin)).map { "\($0)" } ?? "an unknown device"
            note(.change, "change \(key.sequence) of device \(name) is damaged (\(problem))", repairable: true)
        }
        var indexed: Set<IndexEntry> = []
        for row in try Row.fetchAll(db, sql: "SELECT person, origin, sequence FROM change_persons") {
            let key = ChangeKey(origin: try row.value("origin"), sequence: try row.value("sequence"))
            guard damagedChanges[key] == nil else { continue }
            indexed.insert(IndexEntry(person: try row.value("person"), change: key))
        }
        let differing = expected.symmetricDifference(indexed).count
        if differing > 0 {
            note(.index, "the index of which changes concern which person is damaged (\(differing) entries)", repairable: true)
        }
        let stored =
            try Int.fetchOne(
                db,
                sql: """
                    SELECT max(sequence) FROM (SELECT sequence FROM changes WHERE origin = ?1
                        UNION ALL SELECT sequence FROM damaged_changes WHERE origin = ?1)
                    """, arguments: [replica.keyring.device.blob]) ?? 0
        if vector[replica.keyring.device] > UInt64(stored) {
            note(
                .team, "the count of this device's own changes is damaged: restore the folder from its backup",
                repairable: false)
        }
    }

    private mutating func checkHeld(_ db: Database) throws {
        let keys = try signingKeys(db)
        for row in try Row.fetchAll(db, sql: "SELECT origin, sequence, timestamp, body FROM pending") {
            guard case .damaged = Self.verdict(row, keys: keys, vector: nil) else { continue }
            damagedHeld.append(ChangeKey(origin: try row.value("origin"), sequence: try row.value("sequence")))
        }
        if !damagedHeld.isEmpty {
            note(
                .heldChange, "\(damagedHeld.count) change(s) waiting for earlier ones are damaged; peers send them again",
                repairable: true)
        }
    }

    private mutating func checkErasures(_ db: Database) throws {
        let unexplained =
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM erased WHERE person NOT IN (SELECT person FROM erasures)") ?? 0
        let keptData = try Int.fetchOne(db, sql: "SELECT count(*) FROM records WHERE person IN (SELECT person FROM erased)") ?? 0
        if unexplained + keptData > 0 {
            note(.index, "the list of erased persons is damaged (\(unexplained + keptData) entries)", repairable: true)
        }
    }

    /// Persons with a file or a change here, except those erased or not (yet) held.
    static func heldPersons(_ db: Database) throws -> [RecordID] {
        let storage = SQLiteReplicaStorage(db)
        let persons = try Data.fetchAll(
            db,
            sql: """
                SELECT person FROM records UNION SELECT person FROM change_persons
                UNION SELECT person FROM search_tokens UNION SELECT duplicate FROM merge_links
                """
        ).compactMap { try? RecordID(blob: $0) }
        return try persons.filter { try !storage.isErased($0) && storage.holding(of: $0) == .held }
    }

    private mutating func checkPersons(_ db: Database) throws {
        let applier = try replica.log.applier(SQLiteReplicaStorage(db), db)
        let awaitingCopies = Set(damagedChanges.values.flatMap { $0 })
        for person in try Self.heldPersons(db) {
            personsChecked += 1
            checkValues(of: person, db)
            guard !awaitingCopies.contains(person) else { continue }
            let before = try PersonFileRows(person, db)
            do {
                _ = try applier.rebuild(person)
                try replica.indexes.refresh([person], db)
            } catch {
                note(.derivedState, "person \(person.hex): the file cannot be rebuilt from its changes", repairable: false)
                continue
            }
            let differing = before.differences(from: try PersonFileRows(person, db))
            if !differing.isEmpty {
                note(
                    .derivedState,
                    "person \(person.hex): \(differing.joined(separator: ", ")) differ from what the changes say",
                    repairable: true)
            }
        }
        let orphans =
            try Int.fetchOne(
                db,
                sql: """
                    SELECT (SELECT count(*) FROM registers WHERE record NOT IN (SELECT id FROM records))
                         + (SELECT count(*) FROM elements WHERE record NOT IN (SELECT id FROM records))
                    """) ?? 0
        if orphans > 0 { note(.index, "\(orphans) stored values belong to no record", repairable: true) }
    }

    /// Every sealed value of the person opens: its key, its records' types, its fields.
    private mutating func checkValues(of person: RecordID, _ db: Database) {
        var failures = 0
        do {
            guard let cipher = try unwrapKey(of: person, db) else { return }
            let storage = SQLiteReplicaStorage(db)
            let records = try Row.fetchAll(db, sql: "SELECT * FROM records WHERE person = ?", arguments: [person.blob])
            for row in records {
                let record = try SQLiteReplicaStorage.recordState(row)
                let typeToken = cipher.token(type: "record", field: PersonCipher.typeField)
                failures += opens(record.sealedType, cipher, record.id, typeToken, record.creation) ? 0 : 1
                let tokens = try Int64.fetchAll(
                    db, sql: "SELECT field FROM registers WHERE record = ?", arguments: [record.id.blob])
                for token in tokens.map({ FieldToken(rawValue: UInt64(bitPattern: $0)) }) {
                    for entry in try storage.register(record: record.id, field: token).entries {
                        guard let sealed = entry.sealedValue else { continue }
                        failures += opens(sealed, cipher, record.id, token, entry.dot) ? 0 : 1
                    }
                }
                let setTokens = try Int64.fetchAll(
                    db, sql: "SELECT field FROM elements WHERE record = ?", arguments: [record.id.blob])
                for token in setTokens.map({ FieldToken(rawValue: UInt64(bitPattern: $0)) }) {
                    for element in try storage.elements(record: record.id, field: token).sortedElements {
                        failures += opens(element.sealedElement, cipher, record.id, token, element.tag) ? 0 : 1
                    }
                }
            }
        } catch {
            failures += 1
        }
        if failures > 0 {
            note(.sealedValue, "person \(person.hex): \(failures) value(s) cannot be decrypted", repairable: true)
        }
    }

    /// Whether `sealed` opens, or was sealed in an epoch this device does not hold (not damage).
    private mutating func opens(_ sealed: [UInt8], _ cipher: PersonCipher, _ record: RecordID, _ field: FieldToken, _ dot: Dot)
        -> Bool
    {
        valuesChecked += 1
        if (try? cipher.open(sealed, record: record, field: field, dot: dot)) != nil { return true }
        guard sealed.count >= 4 else { return false }
        let epoch = sealed.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return epoch != 0 && replica.keyring.teamKeys[epoch] == nil && epoch > replica.keyring.currentEpoch
    }

    /// The person's key, opened afresh from every wrapping this device can open; nil when it
    /// holds none of their epochs. A wrapping that does not open under a held team key is damage.
    private mutating func unwrapKey(of person: RecordID, _ db: Database) throws -> PersonCipher? {
        var key: SecureBytes?
        for row in try Row.fetchAll(db, sql: "SELECT epoch, wrapped FROM person_keys WHERE person = ?", arguments: [person.blob])
        {
            let epoch = UInt32(try row.value("epoch") as Int64)
            guard let teamKey = replica.keyring.teamKeys[epoch] else { continue }
            let data = PersonCipher.keyWrappingData(person: person, epoch: epoch)
            guard let opened = try? AEAD.openSecret(try row.bytes("wrapped"), key: teamKey, associatedData: data) else {
                note(.sealedValue, "person \(person.hex): their key is damaged", repairable: true)
                return nil
            }
            key = opened
        }
        return key.map { replica.personKeys.cipher(person, key: $0) }
    }
}
