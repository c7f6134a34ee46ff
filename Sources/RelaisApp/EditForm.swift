import Foundation
import RelaisCore
import RelaisStore

/// A form generated from the schema for some fields of one record (a section of a person's file,
/// a visit, a new person): a select for a choice, boxes for a set, a yes-or-no choice, dates
/// typed as they are known. Only the fields a person changed are written, so a field edited on
/// another laptop is not overwritten unseen; a field in conflict is settled on the file, not here.
struct EditForm {
    struct Option {
        let code: String
        let label: String
        let selected: Bool
        /// The name of a set's box (`languages__ff`): each box is its own form field.
        let name: String
    }

    struct Input {
        let name: String
        let label: String
        let text: String
        let error: String?
        let hasError: Bool
        let isText, isLongText, isDate, isNumber, isChoice, isSet, isInConflict: Bool
        let maxLength: Int
        let minimum: Int64
        let maximum: Int64
        let options: [Option]
    }

    let inputs: [Input]

    /// `fields` of a record of `type` with their current values (`views`, empty for a new record),
    /// or with `submitted` and its errors after a refused save.
    /// - Parameters:
    ///   - partners: the directory's entries (id, name) a reference to a partner chooses from.
    ///   - persons: the files (handle, name) a reference to a person chooses from, when the name
    ///     typed matched several; empty, the name is typed.
    init(
        type: String, fields: [FieldSchema], views: [String: FieldView], labels: SchemaLabels, submitted: [String: String]? = nil,
        errors: [String: String] = [:], partners: [(id: String, name: String)] = [], persons: [(id: String, name: String)] = []
    ) {
        let text = FrenchText(labels: labels)
        inputs = fields.map { field in
            let view = views[field.name]
            let current = Self.formText(view?.values ?? [], field: field)
            let shown = submitted.map { Self.submittedText($0, field: field) } ?? current
            let chosen = Set(shown.split(separator: ",").map(String.init))
            let choices =
                field.kind != .reference
                ? (field.values ?? []).map { ($0, labels.label(value: $0, field: field.name, of: type)) }
                : field.target == "person" ? persons : partners
            // A person is named by typing a name, and chosen from a list when several files bear it.
            let typedPerson = field.target == "person" && persons.isEmpty
            let options = choices.map { code, label in
                Option(code: code, label: label, selected: chosen.contains(code), name: "\(field.name)__\(code)")
            }
            let label = text.label(field: field.name, of: type)
            return Input(
                name: field.name, label: label, text: shown, error: errors[field.name], hasError: errors[field.name] != nil,
                isText: (field.kind == .text && (field.maxLength ?? 0) <= 200) || typedPerson,
                isLongText: field.kind == .text && (field.maxLength ?? 0) > 200,
                isDate: field.kind == .date, isNumber: field.kind == .integer,
                isChoice: field.kind == .enumeration || field.kind == .boolean || (field.kind == .reference && !typedPerson),
                isSet: field.kind == .enumSet,
                isInConflict: view?.inConflict == true, maxLength: field.maxLength ?? (typedPerson ? 200 : 0),
                minimum: field.minimum ?? 0,
                maximum: field.maximum ?? 0,
                options: field.kind == .boolean
                    ? ["yes", "no"].map { code in
                        Option(
                            code: code, label: text.value(code, field: field, type: type), selected: shown == code,
                            name: field.name)
                    } : options)
        }
    }

    /// The fields of a section of a person's file.
    static func fields(of section: SchemaLabels.Section, schema: Schema, labels: SchemaLabels) throws(SchemaError)
        -> [FieldSchema]
    {
        try schema.recordType("person").writableFields.filter { labels.fields["person"]?[$0.name]?.section == section.code }
    }

    /// The fields of a record type a form can set: a partner is chosen from the directory; a
    /// person is named by a search, on a new record only (to name another, delete and write it
    /// again); references to other records are left out.
    static func fields(of type: String, schema: Schema, new: Bool) throws(SchemaError) -> [FieldSchema] {
        let fields = try schema.recordType(type).writableFields.filter {
            $0.kind != .reference || $0.target == "partner" || ($0.target == "person" && new)
        }
        return FieldOrder.ordered(fields, of: type)
    }

    /// A stored value as the form shows it: dates as typed in France, a set's codes joined.
    static func formText(_ values: [String], field: FieldSchema) -> String {
        guard field.kind == .date, let value = values.first else { return values.joined(separator: ",") }
        return value.split(separator: "-").reversed().joined(separator: "/")
    }

    /// What the form sent for `field`: a set's ticked boxes joined, the rest as typed.
    static func submittedText(_ form: [String: String], field: FieldSchema) -> String {
        guard field.kind == .enumSet else { return (form[field.name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        return (field.values ?? []).filter { form["\(field.name)__\($0)"] != nil }.joined(separator: ",")
    }

    /// The writes a submitted form asks for: each field whose text changed, parsed; or, when any
    /// is refused, the French reason by field, and no write.
    static func changes(_ form: [String: String], fields: [FieldSchema], views: [String: FieldView])
        -> (assignments: [FieldAssignment], errors: [String: String])
    {
        var assignments: [FieldAssignment] = []
        var errors: [String: String] = [:]
        for field in fields where views[field.name]?.inConflict != true {
            let typed = submittedText(form, field: field)
            guard typed != formText(views[field.name]?.values ?? [], field: field) else { continue }
            if typed.isEmpty {
                assignments.append(FieldAssignment(field.name, nil))
                continue
            }
            let stored = field.kind == .date ? storedDate(typed) : typed
            guard let stored, let values = try? field.parse(stored) else {
                errors[field.name] = refusal(field)
                continue
            }
            assignments.append(FieldAssignment(field.name, values))
        }
        return errors.isEmpty ? (assignments, [:]) : ([], errors)
    }

    /// `12/03/1987`, `03/1987` or `1987` as the store writes them (`1987-03-12`, `1987-03`, `1987`).
    static func storedDate(_ typed: String) -> String? {
        let parts = typed.split(whereSeparator: { $0 == "/" || $0 == "." || $0 == "-" || $0 == " " }).map(String.init)
        guard (1...3).contains(parts.count), parts.allSatisfy({ Int($0) != nil }), parts.last?.count == 4 else { return nil }
        return parts.reversed().enumerated().map { index, part in index == 0 ? part : (part.count == 1 ? "0" + part : part) }
            .joined(separator: "-")
    }

    /// Why a value was refused, in words a mediator acts on.
    static func refusal(_ field: FieldSchema) -> String {
        switch field.kind {
        case .date: "Date attendue : jour/mois/année, mois/année ou année seule (par exemple 12/03/1987, 03/1987 ou 1987)."
        case .integer: "Nombre entier attendu, de \(field.minimum ?? 0) à \(field.maximum ?? 0)."
        case .text: "\(field.maxLength ?? 0) caractères au plus, et pas seulement des espaces."
        default: "Choisissez une des valeurs proposées."
        }
    }
}
