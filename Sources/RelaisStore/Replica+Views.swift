import RelaisCore

/// What the replica shows of persons (`PersonViews`), as the CLI, the daemon and the tests read it.
extension Replica {
    /// A person's file, under the kept person when `id` names a merged duplicate.
    /// - Throws: `StoreError.noRecord`, `.erased`, `.wrongRecordType`.
    public func personFile(_ id: String) throws(StoreError) -> PersonFile { try views.personFile(id) }

    /// The linked records of one type for a person (and the duplicates merged into it).
    public func linkedRecords(of person: String, type: String) throws(StoreError) -> [RecordView] {
        try views.linkedRecords(of: person, type: type)
    }

    /// The live records of the organisation of `type` (the directory by name, sessions newest first).
    public func organisationRecords(type: String) throws(StoreError) -> [RecordView] {
        try views.organisationRecords(type: type)
    }

    /// One record of the organisation, by id or prefix.
    public func organisationRecord(_ id: String, type: String) throws(StoreError) -> RecordView {
        try views.organisationRecord(id, type: type)
    }

    /// How many records of the organisation only a newer version of Relais shows.
    public func newerOrganisationRecords() throws(StoreError) -> Int { try views.newerOrganisationRecords() }

    /// Every person not merged into another, by family name.
    public func listPersons() throws(StoreError) -> [PersonSummary] { try views.listPersons() }

    /// Persons whose names have words starting with every word of `query`.
    public func searchPersons(_ query: String) throws(StoreError) -> [PersonSummary] { try views.searchPersons(query) }

    /// Every field in conflict: in one record, or between a person and the duplicates merged into it.
    public func conflicts() throws(StoreError) -> [ConflictView] { try views.conflicts() }

    /// Every operation on a record, oldest first, each change checked against its author's key.
    /// - Throws: `StoreError.noRecord`, `.erased`.
    public func history(of id: String) throws(StoreError) -> [HistoryEntry] { try views.history(of: id) }

    /// Everything a person can see in this replica, in a canonical form: two replicas that
    /// converged print the same snapshot, conflicts included.
    public func snapshot() throws(StoreError) -> [PersonFile] { try views.snapshot() }
}
