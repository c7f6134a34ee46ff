import Foundation
import GRDB
import RelaisCore

/// What the replica shows of persons: their files, the list, conflicts, a canonical snapshot;
/// each read in one read transaction, from the records (`RecordReader`). Search and history are
/// in their own files. Sendable: any number of tasks read through it at once, on the
/// database's reader connections, while the one writer goes on.
public struct PersonViews: Sendable {
    let database: any DatabaseReader
    let schema: Schema
    let records: RecordReader
    let indexes: DerivedIndexes
}

extension PersonViews {
    /// A person's file, under the kept person when `id` names a merged duplicate.
    /// - Throws: `StoreError.noRecord`, `.erased`, `.wrongRecordType`.
    public func personFile(_ id: String) throws(StoreError) -> PersonFile {
        try database.reading { db in
            let groups = try records.mergeGroups(db)
            return try personFile(root: groups.root(of: try records.resolvePerson(id, db).id), groups: groups, db)
        }
    }

    private func personFile(root: RecordID, groups: MergeGroups, _ db: Database) throws -> PersonFile {
        let members = try records.groupMembers(of: root, groups: groups, db)
        let personType = try schema.recordType("person")
        // Without the person's key nothing of the file reads: that is one error, not every field.
        _ = try records.personKeys.cipher(for: root, db)
        let fields = personType.fields.compactMap { field in
            do {
                return try records.readField(field, type: "person", members: members, db)
            } catch {
                return FieldView(
                    name: field.name, sensitivity: field.sensitivity.rawValue, values: [], inConflict: false, candidates: [],
                    unreadable: true)
            }
        }
        let placeholders = Array(repeating: "?", count: members.count).joined(separator: ",")
        let rows = try Row.fetchAll(
            db, sql: "SELECT * FROM records WHERE person IN (\(placeholders)) AND id != person AND deleted = 0",
            arguments: StatementArguments(members.map(\.id.blob)))
        let linked = rows.map { row in
            (try? linkedRecord(try SQLiteReplicaStorage.recordState(row), db)) ?? Self.damagedRecord(row, person: root)
        }
        .sorted(by: Self.inDateOrder)
        let (careTeams, incomplete) = try scopeStatus(of: root, db)
        let newer = try members.contains { try holdsNewerFields($0, type: personType, db) } || linked.contains(where: \.newer)
        return PersonFile(
            id: root.hex, mergedFrom: members.dropFirst().map(\.id.hex), careTeams: careTeams, incomplete: incomplete,
            fields: fields, linked: linked, newer: newer)
    }

    /// The order of a file's records: by date, then id.
    static func inDateOrder(_ a: RecordView, _ b: RecordView) -> Bool {
        (a.fields.value(of: "date") ?? "", a.id)
            < (b.fields.value(of: "date") ?? "", b.id)
    }

    /// A visit, a referral... or a record of the organisation; one of a type this version does
    /// not know is shown as there, without its fields.
    func linkedRecord(_ record: RecordState, _ db: Database) throws -> RecordView {
        let type = try records.recordType(of: record, db)
        guard let typeSchema = schema.recordTypes.first(where: { $0.name == type }) else {
            return RecordView(id: record.id.hex, type: type, person: record.person.hex, fields: [], damaged: false, newer: true)
        }
        let fields = try typeSchema.fields.compactMap { try records.readField($0, type: type, members: [record], db) }
        return RecordView(
            id: record.id.hex, type: type, person: record.person.hex, fields: fields, damaged: false,
            newer: try holdsNewerFields(record, type: typeSchema, db))
    }

    /// Whether `record` holds values under tokens of no field this schema gives its type: fields
    /// a newer version added. Tokens are keyed hashes, so the known ones are computed to compare.
    func holdsNewerFields(_ record: RecordState, type: RecordTypeSchema, _ db: Database) throws -> Bool {
        let held = try SQLiteReplicaStorage(db).fieldTokens(of: record.id)
        guard !held.isEmpty else { return false }
        let cipher = try records.personKeys.cipher(for: record.person, db)
        var known = Set(type.fields.map { cipher.token(type: type.name, field: $0.name) })
        known.insert(cipher.token(type: "person", field: PersonCipher.mergedIntoField))
        return !held.isSubset(of: known)
    }

    /// What a read shows of a record it cannot read: that it is there, and damaged.
    private static func damagedRecord(_ row: Row, person: RecordID) -> RecordView {
        let id = (try? RecordID(blob: row.value("id")))?.hex ?? "?"
        return RecordView(id: id, type: "record", person: person.hex, fields: [], damaged: true, newer: false)
    }

    /// The linked records of one type for a person (and the duplicates merged into it).
    public func linkedRecords(of person: String, type: String) throws(StoreError) -> [RecordView] {
        do { _ = try schema.recordType(type) } catch { throw .schema(error) }
        let file = try personFile(person)
        return file.linked.filter { $0.type == type }
    }

    /// Every person not merged into another, by family name.
    public func listPersons() throws(StoreError) -> [PersonSummary] {
        try database.reading { db in
            let groups = try records.mergeGroups(db)
            let persons = try personRoots(groups: groups, db)
            return persons.map { summaryOrDamage(of: $0, groups: groups, db) }
                .sorted { ($0.familyName ?? "", $0.givenNames ?? "", $0.id) < ($1.familyName ?? "", $1.givenNames ?? "", $1.id) }
        }
    }

    /// Every live person not merged into another: the files a list or a count shows.
    func personRoots(groups: MergeGroups, _ db: Database) throws -> [RecordID] {
        try Data.fetchAll(
            db,
            sql: "SELECT id FROM records WHERE id = person AND deleted = 0 AND id NOT IN (SELECT id FROM organisation_records)"
        )
        .map { try RecordID(blob: $0) }.filter { !groups.isMergedAway($0) }
    }

    /// The person's line, or one that says it cannot be read: one damaged file never hides the others.
    func summaryOrDamage(of root: RecordID, groups: MergeGroups, _ db: Database) -> PersonSummary {
        (try? summary(of: root, groups: groups, db))
            ?? PersonSummary(id: root.hex, familyName: nil, givenNames: nil, birthDate: nil, inConflict: false, damaged: true)
    }

    private func summary(of root: RecordID, groups: MergeGroups, _ db: Database) throws -> PersonSummary {
        let members = try records.groupMembers(of: root, groups: groups, db)
        let personType = try schema.recordType("person")
        var shown: [String: String] = [:]
        var inConflict = false
        for name in ["family_name", "given_names", "birth_date"] {
            guard let view = try records.readField(try personType.field(name), type: "person", members: members, db) else {
                continue
            }
            shown[name] = view.values.first
            inConflict = inConflict || view.inConflict
        }
        return PersonSummary(
            id: root.hex, familyName: shown["family_name"], givenNames: shown["given_names"], birthDate: shown["birth_date"],
            inConflict: inConflict, damaged: false)
    }

    /// Every field in conflict: in one record, or between a person and the duplicates merged into it.
    public func conflicts() throws(StoreError) -> [ConflictView] {
        try database.reading { db in
            let groups = try records.mergeGroups(db)
            let storage = SQLiteReplicaStorage(db)
            var roots: Set<RecordID> = []
            var linked: Set<RecordID> = []
            let contested = try Data.fetchAll(db, sql: "SELECT DISTINCT record FROM registers WHERE entries > 1")
            for id in try contested.map({ try RecordID(blob: $0) }) {
                guard let record = try storage.record(id), !record.isDeleted else { continue }
                if record.isPerson, try !records.isOrganisationRecord(id, db) {
                    roots.insert(groups.root(of: id))
                } else {
                    linked.insert(id)
                }
            }
            for row in try Data.fetchAll(db, sql: "SELECT kept FROM merge_links") {
                roots.insert(groups.root(of: try RecordID(blob: row)))
            }
            var result: [ConflictView] = []
            for root in roots.sorted() where try storage.record(root).map({ !$0.isDeleted }) ?? false {
                // A damaged file shows as such where it is read; its conflicts cannot be told.
                guard let file = try? personFile(root: root, groups: groups, db) else { continue }
                result += file.fields.filter(\.inConflict).map {
                    ConflictView(record: root.hex, type: "person", field: $0.name, candidates: $0.candidates)
                }
            }
            for id in linked.sorted() {
                guard let record = try storage.record(id), let view = try? linkedRecord(record, db) else { continue }
                result += view.fields.filter(\.inConflict).map {
                    ConflictView(record: view.id, type: view.type, field: $0.name, candidates: $0.candidates)
                }
            }
            return result
        }
    }

    /// Everything a person can see in this replica, in a canonical form: two replicas that
    /// converged print the same snapshot, conflicts included.
    public func snapshot() throws(StoreError) -> [PersonFile] {
        let persons = try listPersons()
        var files: [PersonFile] = []
        for person in persons { files.append(try personFile(person.id)) }
        return files
    }

    /// The person's care teams (empty: the whole organisation) and whether its file is still
    /// awaiting operations this replica only has as digests.
    func scopeStatus(of person: RecordID, _ db: Database) throws -> (careTeams: [String], incomplete: Bool) {
        let storage = SQLiteReplicaStorage(db)
        let teams = try PersonScope(register: storage.scope(of: person)).careTeams
        return ((teams ?? []).sorted().map(\.name), try storage.holding(of: person) == .awaiting)
    }
}
