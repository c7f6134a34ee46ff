import GRDB
import RelaisCore
import RelaisCrypto

extension RecordWrites {
    /// Adds a visit, referral or appointment to a person's file; returns its id.
    /// - Throws: `StoreError.schema` for a bad type, field or value, writing nothing.
    @discardableResult
    func addLinkedRecord(type: String, person personID: String, _ assignments: [FieldAssignment]) throws(StoreError)
        -> RecordID
    {
        let recordType: RecordTypeSchema
        do { recordType = try schema.recordType(type) } catch { throw .schema(error) }
        guard recordType.linkedTo == "person" else { throw .invalidWrite("\(type) records are not linked to a person") }
        let parsed = try CheckedAssignment.check(assignments, type: type, schema: schema)
        let record = RecordID(makeIdentifier())
        try log.commit { builder, db in
            let person = try records.resolvePerson(personID, db)
            try checkReferences(parsed, db)
            let state = try appendCreation(of: record, person: person.id, type: type, into: &builder, db)
            for assignment in parsed {
                try appendWrite(assignment, type: type, members: [state], target: state, into: &builder, db)
            }
            if type == "household_link" { try appendMirrorLink(of: state, parsed, into: &builder, db) }
        }
        return record
    }

    /// A household link shows on both files: the same change writes, on the other person's
    /// file, the link back (a parent's "child" is the child's "parent").
    private func appendMirrorLink(
        of link: RecordState, _ parsed: [CheckedAssignment], into builder: inout ChangeBuilder, _ db: Database
    ) throws {
        let values = Dictionary(
            parsed.compactMap { a in a.values?.first.map { (a.field.name, $0) } }, uniquingKeysWith: { a, _ in a })
        guard case .reference(let otherID)? = values["other"] else {
            throw StoreError.invalidWrite("other: a household link names the other person (other=ID)")
        }
        guard otherID != link.person else { throw StoreError.invalidWrite("other: a person cannot be linked to themselves") }
        let other = try records.resolvePerson(otherID.hex, db)
        let mirror = try appendCreation(
            of: RecordID(makeIdentifier()), person: other.id, type: "household_link", into: &builder, db)
        let type = try schema.recordType("household_link")
        var back: [(String, FieldValue)] = [("other", .reference(link.person))]
        if case .enumeration(let relation)? = values["relation"] {
            back.append(("relation", .enumeration(Self.inverseRelation[relation] ?? relation)))
        }
        if let note = values["note"] { back.append(("note", note)) }
        for (name, value) in back {
            try appendWrite(
                CheckedAssignment(field: try type.field(name), values: [value]), type: "household_link", members: [mirror],
                target: mirror, into: &builder, db)
        }
    }

    private static let inverseRelation = ["child": "parent", "parent": "child"]

    /// Sets and clears fields of a visit, referral or appointment written before.
    /// - Throws: `StoreError.wrongRecordType` when `id` names a record of another type,
    ///   `.noRecord` for a deleted one, `.schema` for a bad field or value; nothing is written.
    func updateLinkedRecord(_ id: String, type: String, _ assignments: [FieldAssignment]) throws(StoreError) {
        let parsed = try CheckedAssignment.check(assignments, type: type, schema: schema)
        try log.commit { builder, db in
            let record = try records.resolveRecord(id, db)
            guard !record.isPerson, try records.recordType(of: record, db) == type else {
                throw StoreError.wrongRecordType(record.id.hex, expected: type)
            }
            guard !record.isDeleted else { throw StoreError.noRecord(id) }
            try checkReferences(parsed, db)
            for assignment in parsed {
                try appendWrite(assignment, type: type, members: [record], target: record, into: &builder, db)
            }
            if type == "household_link" { try appendMirrorUpdate(of: record, parsed, into: &builder, db) }
        }
    }

    /// Deletes a visit, referral or appointment; the tombstone wins over concurrent edits.
    func deleteLinkedRecord(_ id: String, type: String) throws(StoreError) {
        try log.commit { builder, db in
            let record = try records.resolveRecord(id, db)
            guard !record.isPerson, try records.recordType(of: record, db) == type else {
                throw StoreError.wrongRecordType(record.id.hex, expected: type)
            }
            guard !record.isDeleted else { throw StoreError.noRecord(id) }
            var deleted = [record]
            if type == "household_link" { deleted += try mirrors(of: record, db) }
            for gone in deleted {
                builder.append(
                    Operation(person: gone.person, record: gone.id, body: .deleteRecord), dependingOn: [gone.creation])
            }
        }
    }

    /// A household link corrected on one file is corrected on the other in the same change: the
    /// relation turned round, the note as written. The other person does not change: that is
    /// another link.
    private func appendMirrorUpdate(
        of link: RecordState, _ parsed: [CheckedAssignment], into builder: inout ChangeBuilder, _ db: Database
    ) throws {
        let named = try linkedPerson(of: link, db)
        if let other = parsed.first(where: { $0.field.name == "other" }), other.values != named.map({ [.reference($0)] }) {
            throw StoreError.invalidWrite(
                "other: a household link keeps the person it names; delete it and add a link to the other person")
        }
        let back = parsed.filter { $0.field.name != "other" }.map { assignment in
            guard assignment.field.name == "relation" else { return assignment }
            return CheckedAssignment(
                field: assignment.field,
                values: assignment.values?.map { value in
                    guard case .enumeration(let relation) = value else { return value }
                    return .enumeration(Self.inverseRelation[relation] ?? relation)
                })
        }
        for mirror in try mirrors(of: link, db) {
            for assignment in back {
                try appendWrite(assignment, type: "household_link", members: [mirror], target: mirror, into: &builder, db)
            }
        }
    }

    /// The links back of `link`: household links on the file of the person it names that name its
    /// person in turn.
    private func mirrors(of link: RecordState, _ db: Database) throws -> [RecordState] {
        guard let named = try linkedPerson(of: link, db), let person = try? records.resolvePerson(named.hex, db) else {
            return []
        }
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM records WHERE person = ? AND id != person AND deleted = 0"),
            arguments: [person.id.blob])
        return try rows.map(SQLiteReplicaStorage.recordState).filter { record in
            (try? records.recordType(of: record, db)) == "household_link" && (try? linkedPerson(of: record, db)) == link.person
        }
    }

    /// The person a household link names (the shown value, as its file shows it).
    private func linkedPerson(of link: RecordState, _ db: Database) throws -> RecordID? {
        let reading = try records.readRegister(link.id, person: link.person, type: "household_link", field: "other", db)
        guard case .reference(let person)? = reading.candidates.max(by: { RegisterEntry.displayOrder($0.entry, $1.entry) })?.value
        else { return nil }
        return person
    }
}
