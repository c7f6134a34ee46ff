import Foundation
import GRDB
import RelaisCore

/// Reading records as stored: a register's values opened with the person's key, a field across a
/// merge group, a record's sealed type, the merge groups, a record named by an id prefix.
struct RecordReader: Sendable {
    let personKeys: PersonKeys

    func readRegister(_ record: RecordID, person: RecordID, type: String, field: String, _ db: Database) throws -> RegisterReading
    {
        let cipher = try personKeys.cipher(for: person, db)
        let token = cipher.token(type: type, field: field)
        return Self.reading(try SQLiteReplicaStorage(db).register(record: record, field: token), record, token, cipher)
    }

    /// A register's values, opened.
    static func reading(_ register: MultiValueRegister, _ record: RecordID, _ token: FieldToken, _ cipher: PersonCipher)
        -> RegisterReading
    {
        var reading = RegisterReading()
        for entry in register.entries {
            guard let sealed = entry.sealedValue else {
                reading.candidates.append(.init(value: nil, entry: entry))
                continue
            }
            do {
                reading.candidates.append(
                    .init(value: try cipher.open(sealed, record: record, field: token, dot: entry.dot), entry: entry))
            } catch {
                reading.isUnreadable = true
            }
        }
        return reading
    }

    /// One field across the records of a merge group (a single record outside persons).
    func readField(_ field: FieldSchema, type: String, members: [RecordState], _ db: Database) throws -> FieldView? {
        if field.isSet { return try readSetField(field, type: type, members: members, db) }
        var combined = RegisterReading()
        for member in members {
            let reading = try readRegister(member.id, person: member.person, type: type, field: field.name, db)
            combined.candidates += reading.candidates
            combined.isUnreadable = combined.isUnreadable || reading.isUnreadable
        }
        return Self.view(of: combined, field)
    }

    /// What a field shows of its values read across a merge group: the last written, or every
    /// value when they differ.
    static func view(of reading: RegisterReading, _ field: FieldSchema) -> FieldView? {
        guard !reading.candidates.isEmpty || reading.isUnreadable else { return nil }
        var combined = reading
        combined.candidates.sort { RegisterEntry.displayOrder($0.entry, $1.entry) }
        let distinct = Set(combined.candidates.map(\.value))
        let inConflict = distinct.count > 1
        let shown = combined.candidates.last?.value.map { [$0.description] } ?? []
        if shown.isEmpty && !inConflict && !combined.isUnreadable { return nil }
        return FieldView(
            name: field.name, sensitivity: field.sensitivity.rawValue, values: shown, inConflict: inConflict,
            candidates: inConflict ? combined.view : [], unreadable: combined.isUnreadable)
    }

    private func readSetField(_ field: FieldSchema, type: String, members: [RecordState], _ db: Database) throws -> FieldView? {
        var values: Set<String> = []
        var unreadable = false
        for member in members {
            let cipher = try personKeys.cipher(for: member.person, db)
            let token = cipher.token(type: type, field: field.name)
            for element in try SQLiteReplicaStorage(db).elements(record: member.id, field: token).sortedElements {
                if let value = try? cipher.open(element.sealedElement, record: member.id, field: token, dot: element.tag) {
                    values.insert(value.description)
                } else {
                    unreadable = true
                }
            }
        }
        guard !values.isEmpty || unreadable else { return nil }
        return FieldView(
            name: field.name, sensitivity: field.sensitivity.rawValue, values: values.sorted(), inConflict: false,
            candidates: [], unreadable: unreadable)
    }

    /// The record's type, which is sealed like its values.
    func recordType(of record: RecordState, _ db: Database) throws -> String {
        try Self.recordType(of: record, cipher: try personKeys.cipher(for: record.person, db))
    }

    static func recordType(of record: RecordState, cipher: PersonCipher) throws -> String {
        let token = cipher.token(type: "record", field: PersonCipher.typeField)
        guard
            case .enumeration(let type)? = try? cipher.open(
                record.sealedType, record: record.id, field: token, dot: record.creation)
        else { throw StoreError.unreadable(record: record.id, what: "the record type") }
        return type
    }

    /// Whether `holder` is a record of the whole organisation, not a person.
    func isOrganisationRecord(_ holder: RecordID, _ db: Database) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT 1 FROM organisation_records WHERE id = ?"), arguments: [holder.blob]) ?? false
    }

    /// A record of the organisation of `type`, by id or prefix.
    /// - Throws: `StoreError.wrongRecordType` for another record, `.noRecord` for a deleted one.
    func resolveOrganisationRecord(_ text: String, type: String, _ db: Database) throws -> RecordState {
        let record = try resolveRecord(text, db)
        guard record.isPerson, try isOrganisationRecord(record.id, db), try recordType(of: record, db) == type else {
            throw StoreError.wrongRecordType(record.id.hex, expected: type)
        }
        guard !record.isDeleted else { throw StoreError.noRecord(text) }
        return record
    }

    func mergeGroups(_ db: Database) throws -> MergeGroups {
        var links: [RecordID: RecordID] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT duplicate, kept FROM merge_links") {
            links[try RecordID(blob: row.value("duplicate"))] = try RecordID(blob: row.value("kept"))
        }
        // Only the targets of links need checking: reading every person id would make each read O(persons).
        let live = try Set(
            Data.fetchAll(
                db, sql: "SELECT id FROM records WHERE id = person AND deleted = 0 AND id IN (SELECT kept FROM merge_links)"
            ).map { try RecordID(blob: $0) })
        return MergeGroups(links: links, isLive: { live.contains($0) })
    }

    /// The kept person and the duplicates that appear under it, kept person first.
    func groupMembers(of root: RecordID, groups: MergeGroups, _ db: Database) throws -> [RecordState] {
        let storage = SQLiteReplicaStorage(db)
        return try ([root] + groups.duplicates(of: root)).compactMap { try storage.record($0) }
    }

    /// Finds a record by its id or an unambiguous prefix of at least 6 hex digits.
    /// - Throws: `StoreError.noRecord`, `.ambiguousRecord`, or `.erased` for an erased person.
    func resolveRecord(_ text: String, _ db: Database) throws -> RecordState {
        let hex = text.lowercased()
        guard hex.count >= 6, hex.count <= 32, hex.allSatisfy(\.isHexDigit) else { throw StoreError.unusableID(text) }
        let storage = SQLiteReplicaStorage(db)
        if let id = Identifier128(hex: hex) {
            if let record = try storage.record(RecordID(id)) { return record }
            if try storage.isErased(RecordID(id)) { throw StoreError.erased(RecordID(id)) }
            switch try storage.holding(of: RecordID(id)) {
            case .outside: throw StoreError.outsideScope(RecordID(id))
            case .awaiting: throw StoreError.awaitingFile(RecordID(id))
            case .held: throw StoreError.noRecord(text)
            }
        }
        let pattern = hex.uppercased() + "%"
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM records WHERE hex(id) LIKE ? LIMIT 2", arguments: [pattern])
        guard rows.count == 1 else {
            guard !rows.isEmpty else { throw StoreError.noRecord(text) }
            let matches = try Int.fetchOne(db, sql: "SELECT count(*) FROM records WHERE hex(id) LIKE ?", arguments: [pattern])
            throw StoreError.ambiguousRecord(text, matches: matches ?? rows.count)
        }
        return try SQLiteReplicaStorage.recordState(rows[0])
    }

    func resolvePerson(_ text: String, _ db: Database) throws -> RecordState {
        let record = try resolveRecord(text, db)
        guard record.isPerson, try !isOrganisationRecord(record.id, db) else {
            throw StoreError.wrongRecordType(record.id.hex, expected: "person")
        }
        guard !record.isDeleted else { throw StoreError.noRecord(text) }
        return record
    }
}
