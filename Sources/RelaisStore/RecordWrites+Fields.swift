import GRDB
import RelaisCore

extension RecordWrites {
    /// Appends the operations that make `assignment` the value of a field across `members`
    /// (a person and its merged duplicates, or one linked record), written on `target`.
    ///
    /// Every value the members hold for the field is superseded, so the write also settles a
    /// conflict; set fields are replaced element by element, so a concurrent addition survives.
    func appendWrite(
        _ assignment: CheckedAssignment, type: String, members: [RecordState], target: RecordState,
        into builder: inout ChangeBuilder, _ db: Database
    ) throws {
        if assignment.field.isSet {
            try appendSetWrite(assignment, type: type, members: members, target: target, into: &builder, db)
            return
        }
        let storage = SQLiteReplicaStorage(db)
        for member in members {
            let cipher = try records.personKeys.cipher(for: member.person, db)
            let token = cipher.token(type: type, field: assignment.field.name)
            let superseded = try storage.register(record: member.id, field: token).dots
            guard member.id == target.id || !superseded.isEmpty else { continue }
            let value = assignment.values?.first
            if value == nil && superseded.isEmpty { continue }
            let sealed = value.map { cipher.seal($0, record: member.id, field: token, dot: builder.nextDot) }
            let operation = Operation(
                person: member.person, record: member.id,
                body: .setRegister(field: token, supersedes: superseded, sealedValue: sealed))
            builder.append(operation, dependingOn: superseded + [member.creation])
        }
    }

    private func appendSetWrite(
        _ assignment: CheckedAssignment, type: String, members: [RecordState], target: RecordState,
        into builder: inout ChangeBuilder, _ db: Database
    ) throws {
        let desired = assignment.values ?? []
        var present: Set<FieldValue> = []
        let storage = SQLiteReplicaStorage(db)
        for member in members {
            let cipher = try records.personKeys.cipher(for: member.person, db)
            let token = cipher.token(type: type, field: assignment.field.name)
            var removed: [Dot] = []
            for element in try storage.elements(record: member.id, field: token).sortedElements {
                let value = try? cipher.open(element.sealedElement, record: member.id, field: token, dot: element.tag)
                if let value, desired.contains(value) { present.insert(value) } else { removed.append(element.tag) }
            }
            guard !removed.isEmpty else { continue }
            builder.append(
                Operation(person: member.person, record: member.id, body: .removeElements(field: token, dots: removed)),
                dependingOn: removed + [member.creation])
        }
        let cipher = try records.personKeys.cipher(for: target.person, db)
        let token = cipher.token(type: type, field: assignment.field.name)
        for value in desired where !present.contains(value) {
            let sealed = cipher.seal(value, record: target.id, field: token, dot: builder.nextDot)
            builder.append(
                Operation(person: target.person, record: target.id, body: .addElement(field: token, sealedElement: sealed)),
                dependingOn: [target.creation])
        }
    }

    /// Appends the creation of a record and returns its state as it will be once applied.
    func appendCreation(of record: RecordID, person: RecordID, type: String, into builder: inout ChangeBuilder, _ db: Database)
        throws
        -> RecordState
    {
        let cipher = try records.personKeys.cipher(for: person, db)
        let dot = builder.nextDot
        let sealedType = cipher.seal(
            .enumeration(type), record: record, field: cipher.token(type: "record", field: PersonCipher.typeField), dot: dot)
        let personState = try SQLiteReplicaStorage(db).record(person)
        builder.append(
            Operation(person: person, record: record, body: .createRecord(sealedType: sealedType)),
            dependingOn: personState.map { [$0.creation] } ?? [])
        return RecordState(id: record, person: person, sealedType: sealedType, creation: dot)
    }
}
