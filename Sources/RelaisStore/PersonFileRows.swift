import Foundation
import GRDB
import RelaisCore

/// Every stored row of one person's file, as bytes: what `relais check` compares with a rebuild.
struct PersonFileRows {
    /// Table rows in a canonical order, by the words a report uses for them.
    private var parts: [(name: String, rows: [Data])] = []

    init(_ person: RecordID, _ db: Database) throws {
        let blob = person.blob
        let records = "SELECT id FROM records WHERE person = ?"
        let queries: [(String, String, StatementArguments)] = [
            ("its records", "SELECT id, person, sealed_type, creation, deleted FROM records WHERE person = ?", [blob]),
            ("its field values", "SELECT record, field, entries, state FROM registers WHERE record IN (\(records))", [blob]),
            ("its list values", "SELECT record, field, state FROM elements WHERE record IN (\(records))", [blob]),
            ("its keys", "SELECT epoch, wrapped FROM person_keys WHERE person = ?", [blob]),
            ("its care teams", "SELECT state FROM scopes WHERE person = ?", [blob]),
            ("its search index entries", "SELECT token FROM search_tokens WHERE person = ?", [blob]),
            ("its merge link", "SELECT kept FROM merge_links WHERE duplicate = ?", [blob]),
        ]
        for (name, sql, arguments) in queries {
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                row.databaseValues.reduce(into: Data()) { bytes, value in
                    let part = Data.fromDatabaseValue(value) ?? Data(value.description.utf8)
                    bytes += withUnsafeBytes(of: UInt32(part.count).bigEndian) { Data($0) } + part
                }
            }
            parts.append((name, rows.sorted { $0.lexicographicallyPrecedes($1) }))
        }
    }

    /// The parts, by name, that differ between the two.
    func differences(from other: PersonFileRows) -> [String] {
        zip(parts, other.parts).filter { $0.rows != $1.rows }.map(\.0.name)
    }
}
