import Foundation
import RelaisCore
import RelaisStore

/// The coordinator's spreadsheet: one table per record type, a row per record and a column per
/// field of the schema, the ids kept so that tables join (a visit's `person` is a person's `id`).
/// Values are the shown ones (a field in conflict gives the value the files show); a set's
/// elements are joined with ", "; dates stay as stored (2026-03, 2026-03-12) so that they sort.
struct CSVTables {
    let schema: Schema
    /// The French words for headers and values; nil: the schema's codes.
    let headers: SchemaLabels?
    let values: SchemaLabels?
    /// `;` for a spreadsheet set in French, which reads `,` as the decimal mark; `,` otherwise.
    let separator: Character

    /// `name.csv` and its text for every record type.
    func tables(persons: [PersonFile], teamRecords: [RecordView]) -> [(name: String, text: String)] {
        schema.recordTypes.map { type in
            var rows: [[String]] = []
            switch type.name {
            case "person":
                rows = persons.map { file in [file.id] + cells(type, file.fields) }
            case _ where type.isOrganisation:
                rows = teamRecords.filter { $0.type == type.name }.map { [$0.id] + cells(type, $0.fields) }
            default:
                rows = persons.flatMap { file in
                    file.linked.filter { $0.type == type.name }.map { [$0.id, file.id] + cells(type, $0.fields) }
                }
            }
            let keys = type.linkedTo == nil ? ["id"] : ["id", "person"]
            let names =
                (headers == nil ? keys : keys.map { $0 == "id" ? "identifiant" : "personne" })
                + type.fields.map { header($0, of: type.name) }
            // The byte-order mark tells a spreadsheet the text is UTF-8: accents survive a double-click.
            return ("\(type.name).csv", "\u{FEFF}" + ([names] + rows).map { Self.line($0, separator: separator) }.joined())
        }
    }

    private func header(_ field: FieldSchema, of type: String) -> String {
        guard let headers else { return field.name }
        let group = headers.fields[type]?[field.name]?.group.flatMap { headers.groups[$0] }
        return (group.map { "\($0) : " } ?? "") + headers.label(field: field.name, of: type)
    }

    private func cells(_ type: RecordTypeSchema, _ views: [FieldView]) -> [String] {
        let byName = Dictionary(views.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return type.fields.map { field in
            (byName[field.name]?.values ?? []).map { value in
                guard let values else { return value }
                switch field.kind {
                case .boolean: return values.booleans[value == "yes" ? "true" : "false"] ?? value
                case .enumeration, .enumSet: return values.label(value: value, field: field.name, of: type.name)
                case .text, .date, .integer, .reference: return value
                }
            }.joined(separator: ", ")
        }
    }

    /// One CSV line (RFC 4180), ending CRLF. A cell a spreadsheet would run as a formula
    /// (`=`, `+`, `-`, `@` first) is quoted behind an apostrophe: a name typed by anyone must not
    /// become a command on the coordinator's computer.
    static func line(_ cells: [String], separator: Character) -> String {
        cells.map { cell in
            var text = cell
            if let first = text.first, "=+-@\t\r".contains(first) { text = "'" + text }
            guard text.contains(where: { $0 == separator || "\"\r\n".contains($0) }) || text != cell else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: String(separator)) + "\r\n"
    }
}
