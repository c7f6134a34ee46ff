import Foundation
import GRDB
import RelaisCore

/// The persons' files as a count or an export reads them: only the fields it needs, every file in one read
/// transaction, each record's values in one query, each person's keys derived once. The activity
/// report reads 10^5 files this way, where `snapshot` reads every field of each file in a
/// transaction of its own.
extension PersonViews {
    /// Every person's file (duplicates merged in) with only the fields `wanted` names for each
    /// type, the person's own under `person`; records of other types are left out, and so is a
    /// record or file that cannot be read.
    public func files(reading wanted: [String: Set<String>]) throws(StoreError) -> [PersonFile] {
        let schemas = Dictionary(
            schema.recordTypes.compactMap { type in
                wanted[type.name].map { names in (type.name, type.fields.filter { names.contains($0.name) }) }
            }, uniquingKeysWith: { first, _ in first })
        return try database.reading { db in
            let groups = try records.mergeGroups(db)
            let roots = try personRoots(groups: groups, db)
            let linkedRows = try db.cachedStatement(
                sql: "SELECT * FROM records WHERE person = ? AND id != person AND deleted = 0")
            let registerRows = try db.cachedStatement(sql: "SELECT field, state FROM registers WHERE record = ?")
            return roots.compactMap { root -> PersonFile? in
                guard let members = try? records.groupMembers(of: root, groups: groups, db) else { return nil }
                var reader = FileReader(members: members, records: records, registers: registerRows, db: db)
                let fields = (schemas["person"] ?? []).compactMap { reader.field($0, type: "person", of: members) }
                let linked = members.flatMap { member in
                    ((try? Row.fetchAll(linkedRows, arguments: [member.id.blob])) ?? []).compactMap { row -> RecordView? in
                        guard let record = try? SQLiteReplicaStorage.recordState(row),
                            let type = reader.type(of: record), let typeFields = schemas[type]
                        else { return nil }
                        return RecordView(
                            id: record.id.hex, type: type, person: root.hex,
                            fields: typeFields.compactMap { reader.field($0, type: type, of: [record]) }, damaged: false,
                            newer: false)
                    }
                }
                return PersonFile(
                    id: root.hex, mergedFrom: members.dropFirst().map(\.id.hex), careTeams: [], incomplete: false,
                    fields: fields, linked: linked.sorted(by: Self.inDateOrder), newer: false)
            }
        }
    }
}

/// One file's reads: the ciphers of its members and their field tokens, computed once, and each
/// record's registers fetched in one query.
private struct FileReader {
    let records: RecordReader
    let registers: Statement
    let db: Database
    private var ciphers: [RecordID: PersonCipher] = [:]
    private var tokens: [TokenKey: FieldToken] = [:]
    private var held: (record: RecordID, registers: [FieldToken: MultiValueRegister])?

    init(members: [RecordState], records: RecordReader, registers: Statement, db: Database) {
        (self.records, self.registers, self.db) = (records, registers, db)
        for member in members { ciphers[member.id] = try? records.personKeys.cipher(for: member.id, db) }
    }

    mutating func type(of record: RecordState) -> String? {
        guard let cipher = ciphers[record.person] else { return nil }
        return try? RecordReader.recordType(of: record, cipher: cipher)
    }

    /// A field across `members`: a set's elements as `RecordReader` reads them, a register's
    /// values from the record's registers read at once.
    mutating func field(_ field: FieldSchema, type: String, of members: [RecordState]) -> FieldView? {
        if field.isSet { return try? records.readField(field, type: type, members: members, db) }
        var combined = RegisterReading()
        for member in members {
            guard let cipher = ciphers[member.person] else {
                combined.isUnreadable = true
                continue
            }
            let key = TokenKey(person: member.person, type: type, field: field.name)
            let token = tokens[key] ?? cipher.token(type: type, field: field.name)
            tokens[key] = token
            guard let register = registers(of: member.id)[token] else { continue }
            let reading = RecordReader.reading(register, member.id, token, cipher)
            combined.candidates += reading.candidates
            combined.isUnreadable = combined.isUnreadable || reading.isUnreadable
        }
        return RecordReader.view(of: combined, field)
    }

    private struct TokenKey: Hashable {
        let person: RecordID
        let type: String
        let field: String
    }

    private mutating func registers(of record: RecordID) -> [FieldToken: MultiValueRegister] {
        if let held, held.record == record { return held.registers }
        var found: [FieldToken: MultiValueRegister] = [:]
        for row in (try? Row.fetchAll(registers, arguments: [record.blob])) ?? [] {
            let token = FieldToken(rawValue: UInt64(bitPattern: row[0] as Int64))
            if let state = row[1] as Data?, let register = try? MultiValueRegister(decoding: [UInt8](state)) {
                found[token] = register
            }
        }
        held = (record, found)
        return found
    }
}
