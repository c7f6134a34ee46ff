import Foundation
import GRDB
import RelaisCore

extension PersonViews {
    /// The live records of the organisation of `type`: the directory by name, dated records
    /// (collective sessions, requests) newest first. A record that cannot be read shows as damaged.
    /// - Throws: `StoreError.schema` when `type` is no type of organisation records.
    public func organisationRecords(type: String) throws(StoreError) -> [RecordView] {
        let typeSchema: RecordTypeSchema
        do { typeSchema = try schema.recordType(type) } catch { throw .schema(error) }
        guard typeSchema.isOrganisation else { throw .invalidWrite("\(type) records belong to a person's file") }
        let views = try database.reading { db in
            try liveOrganisationRecords(db).compactMap { record in
                guard let view = try? linkedRecord(record, db) else {
                    return RecordView(
                        id: record.id.hex, type: "record", person: record.id.hex, fields: [], damaged: true, newer: false)
                }
                return view.type == type ? view : nil
            }
        }
        func first(_ name: String, _ view: RecordView) -> String { view.fields.value(of: name) ?? "" }
        if typeSchema.fields.contains(where: { $0.name == "date" }) {
            return views.sorted { (first("date", $0), $0.id) > (first("date", $1), $1.id) }
        }
        return views.sorted {
            (first("name", $0).lowercased(), $0.id) < (first("name", $1).lowercased(), $1.id)
        }
    }

    /// One record of the organisation, by id or prefix.
    /// - Throws: `StoreError.noRecord`, `.wrongRecordType` for a record of another type.
    public func organisationRecord(_ id: String, type: String) throws(StoreError) -> RecordView {
        try database.reading { db in try linkedRecord(try records.resolveOrganisationRecord(id, type: type, db), db) }
    }

    /// How many records of the organisation are of types only a newer version of Relais shows.
    public func newerOrganisationRecords() throws(StoreError) -> Int {
        try database.reading { db in
            try liveOrganisationRecords(db).count { record in
                (try? records.recordType(of: record, db)).map { type in !schema.recordTypes.contains { $0.name == type } }
                    ?? false
            }
        }
    }

    private func liveOrganisationRecords(_ db: Database) throws -> [RecordState] {
        try Row.fetchAll(
            db, sql: "SELECT records.* FROM records JOIN organisation_records USING (id) WHERE records.deleted = 0"
        ).map(SQLiteReplicaStorage.recordState)
    }
}
