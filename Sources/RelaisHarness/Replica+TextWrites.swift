import RelaisCore
import RelaisStore

/// Writes in the command line's `FIELD=VALUE` syntax without a process, for the tests, the
/// simulation and the benchmark.
extension Replica {
    @discardableResult
    public func addPerson(_ texts: [String], careTeams: Set<CareTeam>? = nil) throws(StoreError) -> RecordID {
        try addPerson(assignments(texts, type: "person"), careTeams: careTeams)
    }

    public func updatePerson(_ id: String, set: [String], unset: [String]) throws(StoreError) {
        try updatePerson(id, assignments(set, unset: unset, type: "person"))
    }

    @discardableResult
    public func addLinkedRecord(type: String, person: String, set texts: [String]) throws(StoreError) -> RecordID {
        try addLinkedRecord(type: type, person: person, assignments(texts, type: type))
    }

    public func updateLinkedRecord(_ id: String, type: String, set: [String], unset: [String] = []) throws(StoreError) {
        try updateLinkedRecord(id, type: type, assignments(set, unset: unset, type: type))
    }

    @discardableResult
    public func addOrganisationRecord(type: String, set texts: [String]) throws(StoreError) -> RecordID {
        try addOrganisationRecord(type: type, assignments(texts, type: type))
    }

    public func updateOrganisationRecord(_ id: String, type: String, set: [String], unset: [String] = []) throws(StoreError) {
        try updateOrganisationRecord(id, type: type, assignments(set, unset: unset, type: type))
    }

    public func resolveConflict(record: String, field: String, value: String) throws(StoreError) {
        try resolveConflict(record: record, assignments(["\(field)=\(value)"], type: recordType(of: record))[0])
    }

    private func assignments(_ texts: [String], unset: [String] = [], type: String) throws(StoreError) -> [FieldAssignment] {
        do {
            return try schema.assignments(set: texts, unset: unset, type: type)
        } catch {
            throw .schema(error)
        }
    }
}
