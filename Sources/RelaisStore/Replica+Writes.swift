import RelaisCore

/// The user's writes (`RecordWrites`), as the CLI, the daemon and the tests make them.
extension Replica {
    /// Creates a person with these fields; returns the new id.
    /// - Parameter careTeams: the care teams that may hold the person (SPEC.md §14); nil: this
    ///   device's own, empty: the whole organisation.
    /// - Throws: `StoreError.schema` for an unknown field or a bad value, writing nothing.
    @discardableResult
    public func addPerson(_ assignments: [FieldAssignment], careTeams: Set<CareTeam>? = nil) throws(StoreError) -> RecordID {
        try writes.addPerson(assignments, careTeams: careTeams)
    }

    /// Sets and clears fields of a person; a merged person's duplicates are settled too.
    public func updatePerson(_ id: String, _ assignments: [FieldAssignment]) throws(StoreError) {
        try writes.updatePerson(id, assignments)
    }

    /// Settles a conflict with a normal write that supersedes every competing value.
    public func resolveConflict(record id: String, _ value: FieldAssignment) throws(StoreError) {
        try writes.resolveConflict(record: id, value)
    }

    /// Makes `duplicate` and its records appear under `keep`; reversible with `unmerge`.
    public func merge(keep keepID: String, duplicate duplicateID: String) throws(StoreError) {
        try writes.merge(keep: keepID, duplicate: duplicateID)
    }

    /// Separates a merged duplicate again; its own fields and records were kept all along.
    public func unmerge(_ duplicateID: String) throws(StoreError) { try writes.unmerge(duplicateID) }

    /// Erases a person at their request (with every duplicate merged into them), then empties the
    /// write-ahead log so nothing of them lingers in it. Returns the erased ids.
    @discardableResult
    public func erase(_ id: String) throws(StoreError) -> [RecordID] {
        let erased = try writes.erase(id)
        try checkpoint()
        return erased
    }

    /// Moves a person (with the duplicates merged into it) to exactly these care teams; none: the
    /// whole organisation. Devices that lose access purge the file when they learn of it.
    public func movePerson(_ id: String, to teams: Set<CareTeam>) throws(StoreError) { try writes.movePerson(id, to: teams) }

    /// Adds a visit, referral or appointment to a person's file; returns its id.
    /// - Throws: `StoreError.schema` for a bad type, field or value, writing nothing.
    @discardableResult
    public func addLinkedRecord(type: String, person: String, _ assignments: [FieldAssignment]) throws(StoreError) -> RecordID {
        try writes.addLinkedRecord(type: type, person: person, assignments)
    }

    /// Sets and clears fields of a visit, referral or appointment written before.
    /// - Throws: `StoreError.wrongRecordType`, `.noRecord`, `.schema`, writing nothing.
    public func updateLinkedRecord(_ id: String, type: String, _ assignments: [FieldAssignment]) throws(StoreError) {
        try writes.updateLinkedRecord(id, type: type, assignments)
    }

    /// Deletes a visit, referral or appointment; the tombstone wins over concurrent edits.
    public func deleteLinkedRecord(_ id: String, type: String) throws(StoreError) {
        try writes.deleteLinkedRecord(id, type: type)
    }

    /// Adds a record of the whole organisation (a partner of the directory, a collective
    /// session, a request from a professional); returns its id.
    /// - Throws: `StoreError.schema` for a bad type, field or value, writing nothing.
    @discardableResult
    public func addOrganisationRecord(type: String, _ assignments: [FieldAssignment]) throws(StoreError) -> RecordID {
        try writes.addOrganisationRecord(type: type, assignments)
    }

    /// Sets and clears fields of a record of the organisation.
    /// - Throws: `StoreError.wrongRecordType`, `.noRecord`, `.schema`, writing nothing.
    public func updateOrganisationRecord(_ id: String, type: String, _ assignments: [FieldAssignment]) throws(StoreError) {
        try writes.updateOrganisationRecord(id, type: type, assignments)
    }

    /// Deletes a record of the organisation; the tombstone wins over concurrent edits.
    public func deleteOrganisationRecord(_ id: String, type: String) throws(StoreError) {
        try writes.deleteOrganisationRecord(id, type: type)
    }
}
