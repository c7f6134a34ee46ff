import GRDB
import RelaisCore

extension RecordWrites {
    /// Adds a record of the whole organisation: a partner of the directory, a collective session,
    /// a request from a professional. It holds its own key, like a person, and no care team, so
    /// every node of the team holds it (SPEC.md §2). Returns its id.
    /// - Throws: `StoreError.schema` for a bad type, field or value, writing nothing.
    @discardableResult
    func addOrganisationRecord(type: String, _ assignments: [FieldAssignment]) throws(StoreError) -> RecordID {
        let recordType: RecordTypeSchema
        do { recordType = try schema.recordType(type) } catch { throw .schema(error) }
        guard recordType.isOrganisation else { throw .invalidWrite("\(type) records belong to a person, not to the team") }
        let parsed = try CheckedAssignment.check(assignments, type: type, schema: schema)
        let record = RecordID(makeIdentifier())
        try log.commit { builder, db in
            try checkReferences(parsed, db)
            let (_, keyOperation) = records.personKeys.newKey(for: record)
            builder.append(keyOperation)
            let state = try appendCreation(of: record, person: record, type: type, into: &builder, db)
            for assignment in parsed {
                try appendWrite(assignment, type: type, members: [state], target: state, into: &builder, db)
            }
        }
        return record
    }

    /// Sets and clears fields of a record of the organisation.
    /// - Throws: `StoreError.wrongRecordType` when `id` names a record of another type, `.noRecord`
    ///   for a deleted one, `.schema` for a bad field or value; nothing is written.
    func updateOrganisationRecord(_ id: String, type: String, _ assignments: [FieldAssignment]) throws(StoreError) {
        let parsed = try CheckedAssignment.check(assignments, type: type, schema: schema)
        try log.commit { builder, db in
            let record = try records.resolveOrganisationRecord(id, type: type, db)
            try checkReferences(parsed, db)
            for assignment in parsed {
                try appendWrite(assignment, type: type, members: [record], target: record, into: &builder, db)
            }
        }
    }

    /// Deletes a record of the organisation (a partner that closed, a session entered twice).
    func deleteOrganisationRecord(_ id: String, type: String) throws(StoreError) {
        try log.commit { builder, db in
            let record = try records.resolveOrganisationRecord(id, type: type, db)
            builder.append(
                Operation(person: record.person, record: record.id, body: .deleteRecord), dependingOn: [record.creation])
        }
    }

    /// Refuses a reference to anything but a live record of the field's target type held here:
    /// a referral cannot point to a partner that was deleted, or to a visit.
    func checkReferences(_ assignments: [CheckedAssignment], _ db: Database) throws {
        for assignment in assignments where assignment.field.kind == .reference {
            guard case .reference(let id)? = assignment.values?.first, let target = assignment.field.target else { continue }
            let found = try SQLiteReplicaStorage(db).record(id)
            guard let found, !found.isDeleted, try records.recordType(of: found, db) == target else {
                throw StoreError.invalidWrite("\(assignment.field.name): no \(target) \(id.hex) is held here")
            }
        }
    }
}
