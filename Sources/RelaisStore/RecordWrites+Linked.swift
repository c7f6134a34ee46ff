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
            let state = try appendCreation(of: record, person: person.id, type: type, into: &builder, db)
            for assignment in parsed {
                try appendWrite(assignment, type: type, members: [state], target: state, into: &builder, db)
            }
        }
        return record
    }

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
            for assignment in parsed {
                try appendWrite(assignment, type: type, members: [record], target: record, into: &builder, db)
            }
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
            builder.append(
                Operation(person: record.person, record: record.id, body: .deleteRecord), dependingOn: [record.creation])
        }
    }
}
