import Foundation
import GRDB
import RelaisCore

/// Persons' files read for a count or an export over the whole replica: each member of a file
/// with one query (its records joined to their registers), its key unwrapped once, its field
/// tokens computed once, and only the wanted registers decoded and opened. Reading record by
/// record, with a query for each, spent more time in SQLite and in the allocations of its rows
/// than in the decryption; a key lives in secure memory, of which a process holds a few thousand
/// pieces, so a file's keys are released before the next file is read.
struct FileScan {
    private let records: RecordReader
    private let schemas: [String: [FieldSchema]]
    private let db: Database
    private let rows: Statement
    private let keys: [FieldKey]

    private struct FieldKey: Hashable {
        let type: String
        let field: String
    }

    /// One member of a file: its records and the wanted registers of each.
    private struct Member {
        let person: RecordID
        let cipher: PersonCipher?
        var records: [RecordState] = []
        var registers: [RecordID: [FieldKey: (token: FieldToken, register: MultiValueRegister)]] = [:]
    }

    /// - Parameter schemas: the fields to read, by record type.
    init(schemas: [String: [FieldSchema]], records: RecordReader, _ db: Database) throws {
        (self.records, self.schemas, self.db) = (records, schemas, db)
        rows = try db.cachedStatement(
            sql: """
                SELECT r.*, g.field, g.state FROM records r
                LEFT JOIN registers g ON g.record = r.id WHERE r.person = ? ORDER BY r.id
                """)
        keys = schemas.flatMap { type, fields in fields.filter { !$0.isSet }.map { FieldKey(type: type, field: $0.name) } }
    }

    /// A file as read, and whether every member's key opened and every value with it. A file
    /// read in part may read otherwise once a key comes without any change to its records, so
    /// `FileProjections` keeps only whole ones.
    struct Scanned {
        let file: PersonFile
        let isWhole: Bool
    }

    /// The file of `root`, with only the wanted fields; nil when its person record is not held.
    func file(of root: RecordID, groups: MergeGroups) throws -> Scanned? {
        let members = try ([root] + groups.duplicates(of: root)).map(member)
        guard let rootState = members.first?.records.first(where: { $0.id == root }) else { return nil }
        let states = [rootState] + members.dropFirst().compactMap { member in member.records.first { $0.id == $0.person } }
        let fields = (schemas["person"] ?? []).compactMap { field(type: "person", $0, of: states, members) }
        var isWhole = members.allSatisfy { $0.cipher != nil }
        let linked = members.flatMap { member in
            member.records.compactMap { record -> RecordView? in
                guard record.id != record.person, !record.isDeleted, let cipher = member.cipher else { return nil }
                guard let type = try? RecordReader.recordType(of: record, cipher: cipher) else {
                    isWhole = false
                    return nil
                }
                guard let typeFields = schemas[type] else { return nil }
                return RecordView(
                    id: record.id.hex, type: type, person: root.hex,
                    fields: typeFields.compactMap { field(type: type, $0, of: [record], [member]) }, damaged: false,
                    newer: false)
            }
        }
        let file = PersonFile(
            id: root.hex, mergedFrom: states.dropFirst().map(\.id.hex), careTeams: [], incomplete: false,
            fields: fields, linked: linked.sorted(by: PersonViews.inDateOrder), newer: false)
        isWhole = isWhole && !(fields + linked.flatMap(\.fields)).contains(where: \.unreadable)
        return Scanned(file: file, isWhole: isWhole)
    }

    private func member(_ person: RecordID) throws -> Member {
        var member = Member(person: person, cipher: try? records.personKeys.cipher(for: person, db))
        var wanted: [FieldToken: FieldKey] = [:]
        if let cipher = member.cipher {
            for key in keys { wanted[cipher.token(type: key.type, field: key.field)] = key }
        }
        let cursor = try Row.fetchCursor(rows, arguments: [person.blob])
        while let row = try cursor.next() {
            // Columns by position (the records' own, then field and state): a lookup by name
            // compares strings, 26 times per person.
            let id = try RecordID(blob: row[0])
            if member.records.last?.id != id { member.records.append(try SQLiteReplicaStorage.recordState(row)) }
            guard let column = row[5] as Int64? else { continue }
            let token = FieldToken(rawValue: UInt64(bitPattern: column))
            guard let key = wanted[token], let state = row[6] as Data?,
                let register = try? MultiValueRegister(decoding: [UInt8](state))
            else { continue }
            member.registers[id, default: [:]][key] = (token, register)
        }
        return member
    }

    /// A field across the records `states` (a file's members, or one record), as
    /// `RecordReader.readField` reads it.
    private func field(type: String, _ field: FieldSchema, of states: [RecordState], _ members: [Member]) -> FieldView? {
        if field.isSet { return try? records.readField(field, type: type, members: states, db) }
        var combined = RegisterReading()
        let key = FieldKey(type: type, field: field.name)
        for state in states {
            guard let member = members.first(where: { $0.person == state.person }),
                let cipher = member.cipher
            else {
                combined.isUnreadable = true
                continue
            }
            guard let (token, register) = member.registers[state.id]?[key] else { continue }
            let reading = RecordReader.reading(register, state.id, token, cipher)
            combined.candidates += reading.candidates
            combined.isUnreadable = combined.isUnreadable || reading.isUnreadable
        }
        return RecordReader.view(of: combined, field)
    }
}
