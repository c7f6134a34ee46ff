import GRDB
import RelaisCore
import RelaisCrypto

/// The writes a user makes to persons and their records, each one signed change through the
/// change log: typed values checked against the schema first, nothing written on any error.
struct RecordWrites {
    let log: ChangeLog
    let schema: Schema
    let records: RecordReader
    let keys: KeyringStore
    /// Where new record ids come from: random, or a seeded source in simulations that must replay exactly.
    let makeIdentifier: () -> Identifier128
}

extension RecordWrites {
    /// Creates a person with these fields; returns the new id.
    /// - Parameter careTeams: the care teams that may hold the person (SPEC.md §14); nil: this
    ///   device's own, empty: the whole organisation.
    /// - Throws: `StoreError.schema` for an unknown field or a bad value, writing nothing.
    @discardableResult
    func addPerson(_ assignments: [FieldAssignment], careTeams: Set<CareTeam>? = nil) throws(StoreError) -> RecordID {
        let parsed = try CheckedAssignment.check(assignments, type: "person", schema: schema)
        let person = RecordID(makeIdentifier())
        try log.commit { builder, db in
            let teams = try careTeams ?? defaultCareTeams(db)
            // A file this device may not hold would be kept only as digests from the start:
            // what it writes would be lost before any other node has it.
            let reader = try TeamState.scopeReader(of: keys.keyring.device, db)
            guard reader.mayHold(PersonScope(careTeams: teams.isEmpty ? nil : teams)) else {
                throw StoreError.invalidWrite(
                    "this device is not in care team \(teams.sorted().map(\.name).joined(separator: ", ")) and could not keep the file it writes: add the person in one of its own care teams (\(reader.careTeams.isEmpty ? "none: leave out --care-team" : reader.careTeams.sorted().map(\.name).joined(separator: ", "))), then 'relais person move' it"
                )
            }
            let (_, keyOperation) = records.personKeys.newKey(for: person)
            builder.append(keyOperation)
            let state = try appendCreation(of: person, person: person, type: "person", into: &builder, db)
            for assignment in parsed {
                try appendWrite(assignment, type: "person", members: [state], target: state, into: &builder, db)
            }
            if !teams.isEmpty {
                try appendScope(teams, of: person, creation: state.creation, into: &builder, SQLiteReplicaStorage(db))
            }
        }
        return person
    }

    /// Sets and clears fields of a person; a merged person's duplicates are settled too.
    func updatePerson(_ id: String, _ assignments: [FieldAssignment]) throws(StoreError) {
        let parsed = try CheckedAssignment.check(assignments, type: "person", schema: schema)
        try log.commit { builder, db in
            let groups = try records.mergeGroups(db)
            let person = try records.resolvePerson(id, db)
            let members = try records.groupMembers(of: groups.root(of: person.id), groups: groups, db)
            for assignment in parsed {
                try appendWrite(assignment, type: "person", members: members, target: person, into: &builder, db)
            }
        }
    }

    /// Settles a conflict with a normal write that supersedes every competing value.
    func resolveConflict(record id: String, _ value: FieldAssignment) throws(StoreError) {
        let field = value.field
        try log.commit { builder, db in
            let record = try records.resolveRecord(id, db)
            let type = try records.recordType(of: record, db)
            let assignment = try CheckedAssignment.check([value], type: type, schema: schema, settling: true)[0]
            var members = [record]
            if record.isPerson {
                let groups = try records.mergeGroups(db)
                members = try records.groupMembers(of: groups.root(of: record.id), groups: groups, db)
            }
            let current = try records.readField(assignment.field, type: type, members: members, db)
            guard current?.inConflict == true else {
                throw StoreError.invalidWrite(
                    "\(field) of \(type) \(members[0].id.hex) is not in conflict, so there is nothing to settle; nothing was changed (to change it, use 'relais \(type) update')"
                )
            }
            try appendWrite(assignment, type: type, members: members, target: members[0], into: &builder, db)
        }
    }

    /// Makes `duplicate` and its records appear under `keep`; reversible with `unmerge`.
    func merge(keep keepID: String, duplicate duplicateID: String) throws(StoreError) {
        try log.commit { builder, db in
            let keep = try records.resolvePerson(keepID, db)
            let duplicate = try records.resolvePerson(duplicateID, db)
            let groups = try records.mergeGroups(db)
            guard keep.id != duplicate.id else { throw StoreError.invalidWrite("a person cannot be merged into itself") }
            guard groups.root(of: duplicate.id) != groups.root(of: keep.id) else {
                throw StoreError.invalidWrite("\(duplicate.id) already appears under \(groups.root(of: keep.id))")
            }
            try appendMergeLink(of: duplicate, to: .reference(keep.id), extraDependencies: [keep.creation], into: &builder, db)
        }
    }

    /// Separates a merged duplicate again; its own fields and records were kept all along.
    func unmerge(_ duplicateID: String) throws(StoreError) {
        try log.commit { builder, db in
            let duplicate = try records.resolvePerson(duplicateID, db)
            guard try records.mergeGroups(db).isMergedAway(duplicate.id) else {
                throw StoreError.invalidWrite("\(duplicate.id) is not merged into another person")
            }
            try appendMergeLink(of: duplicate, to: nil, extraDependencies: [], into: &builder, db)
        }
    }

    private func appendMergeLink(
        of duplicate: RecordState, to value: FieldValue?, extraDependencies: [Dot], into builder: inout ChangeBuilder,
        _ db: Database
    ) throws {
        let cipher = try records.personKeys.cipher(for: duplicate.id, db)
        let token = cipher.token(type: "person", field: PersonCipher.mergedIntoField)
        let superseded = try SQLiteReplicaStorage(db).register(record: duplicate.id, field: token).dots
        let sealed = value.map { cipher.seal($0, record: duplicate.id, field: token, dot: builder.nextDot) }
        builder.append(
            Operation(
                person: duplicate.id, record: duplicate.id,
                body: .setRegister(field: token, supersedes: superseded, sealedValue: sealed)),
            dependingOn: superseded + extraDependencies + [duplicate.creation])
    }

    /// Erases a person at their request (with every duplicate merged into them): their key,
    /// data and history are destroyed here and on every replica the erasure reaches, and a
    /// tombstone keeps stale replicas from bringing them back. Returns the erased ids.
    @discardableResult
    func erase(_ id: String) throws(StoreError) -> [RecordID] {
        var erased: [RecordID] = []
        try log.commit { builder, db in
            let groups = try records.mergeGroups(db)
            let root = groups.root(of: try records.resolvePerson(id, db).id)
            erased = [root] + groups.duplicates(of: root)
            for person in erased {
                builder.append(Operation(person: person, record: person, body: .erasePerson))
            }
        }
        return erased
    }

    /// Moves a person (with the duplicates merged into it) to exactly these care teams; none: the
    /// whole organisation. Devices that lose access purge the file when they learn of it.
    func movePerson(_ id: String, to teams: Set<CareTeam>) throws(StoreError) {
        try log.commit { builder, db in
            let groups = try records.mergeGroups(db)
            for person in try records.groupMembers(of: groups.root(of: try records.resolvePerson(id, db).id), groups: groups, db)
            {
                try appendScope(teams, of: person.id, creation: person.creation, into: &builder, SQLiteReplicaStorage(db))
            }
        }
    }

    func appendScope(
        _ teams: Set<CareTeam>, of person: RecordID, creation: Dot?, into builder: inout ChangeBuilder,
        _ storage: SQLiteReplicaStorage
    ) throws {
        let superseded = try storage.scope(of: person).dots
        builder.append(
            Operation(person: person, record: person, body: .setScope(supersedes: superseded, careTeams: teams)),
            dependingOn: superseded + (creation.map { [$0] } ?? []))
    }

    /// The care teams a new person written here belongs to unless told: this device's own.
    func defaultCareTeams(_ db: Database) throws -> Set<CareTeam> {
        try TeamState.stored(db)?.roster.careTeams[keys.keyring.device] ?? []
    }
}
