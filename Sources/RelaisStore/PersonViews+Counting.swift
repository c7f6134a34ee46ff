import Foundation
import GRDB
import RelaisCore

/// The persons' files as a count reads them: only the fields it counts, every file in one read
/// transaction. The activity report reads 10^5 files this way, where `snapshot` reads every field
/// of each in a transaction of its own.
extension PersonViews {
    /// Every person's file (duplicates merged in) with only the fields `wanted` names for each
    /// type, the person's own under `person`; records of other types are left out, and so is a
    /// record or file that cannot be read.
    public func files(reading wanted: [String: Set<String>]) throws(StoreError) -> [PersonFile] {
        let schemas = Dictionary(
            schema.recordTypes.compactMap { type in
                wanted[type.name].map { names in (type.name, type.fields.filter { names.contains($0.name) }) }
            }, uniquingKeysWith: { first, _ in first })
        return try database.reading { db in
            let groups = try records.mergeGroups(db)
            let roots = try Data.fetchAll(
                db,
                sql:
                    "SELECT id FROM records WHERE id = person AND deleted = 0 AND id NOT IN (SELECT id FROM organisation_records)"
            )
            .map { try RecordID(blob: $0) }.filter { !groups.isMergedAway($0) }
            let linkedRows = try db.cachedStatement(
                sql: "SELECT * FROM records WHERE person = ? AND id != person AND deleted = 0")
            return roots.compactMap { root -> PersonFile? in
                guard let members = try? records.groupMembers(of: root, groups: groups, db) else { return nil }
                let fields = (schemas["person"] ?? []).compactMap {
                    try? records.readField($0, type: "person", members: members, db)
                }
                let linked = members.flatMap { member in
                    ((try? Row.fetchAll(linkedRows, arguments: [member.id.blob])) ?? []).compactMap { row -> RecordView? in
                        guard let record = try? SQLiteReplicaStorage.recordState(row),
                            let type = try? records.recordType(of: record, db), let typeFields = schemas[type]
                        else { return nil }
                        return RecordView(
                            id: record.id.hex, type: type, person: root.hex,
                            fields: typeFields.compactMap { try? records.readField($0, type: type, members: [record], db) },
                            damaged: false, newer: false)
                    }
                }
                return PersonFile(
                    id: root.hex, mergedFrom: members.dropFirst().map(\.id.hex), careTeams: [], incomplete: false,
                    fields: fields, linked: linked, newer: false)
            }
        }
    }
}
