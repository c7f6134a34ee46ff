import Foundation
import GRDB
import RelaisCore

/// The persons' files as a count or an export reads them: only the fields it needs, every file in one read
/// transaction, each person's records and values in one query, each person's keys derived once.
/// The activity report reads 10^5 files this way, where `snapshot` reads every field of each file
/// in a transaction of its own.
extension PersonViews {
    /// Every person's file (duplicates merged in) with only the fields `wanted` names for each
    /// type, the person's own under `person`; records of other types are left out, and so is a
    /// record or file that cannot be read.
    public func files(reading wanted: [String: Set<String>]) throws(StoreError) -> [PersonFile] {
        var files: [PersonFile] = []
        try forEachFile(reading: wanted) { files.append($0) }
        return files
    }

    /// The files of `files(reading:)` handed to `body` one at a time, for an export that writes
    /// each as it comes rather than holding 10^5 of them.
    public func forEachFile(reading wanted: [String: Set<String>], _ body: (PersonFile) -> Void) throws(StoreError) {
        try database.reading { db in
            let groups = try records.mergeGroups(db)
            let scan = try FileScan(schemas: fieldSchemas(wanted), records: records, db)
            for root in try personRoots(groups: groups, db) {
                if let scanned = try? scan.file(of: root, groups: groups) { body(scanned.file) }
            }
        }
    }

    /// The schemas of the fields `wanted` names for each type.
    func fieldSchemas(_ wanted: [String: Set<String>]) -> [String: [FieldSchema]] {
        Dictionary(
            schema.recordTypes.compactMap { type in
                wanted[type.name].map { names in (type.name, type.fields.filter { names.contains($0.name) }) }
            }, uniquingKeysWith: { first, _ in first })
    }
}
