import RelaisCore
import RelaisStore

/// What the person's page shows: the file's fields by section, in the schema's order, with the
/// French labels; a field in conflict with every value, who wrote it and when.
struct PersonPage {
    struct Field {
        /// The field's code, which the forms post.
        let name: String
        let label: String
        let value: String
        let inConflict: Bool
        let candidates: [Candidate]
        /// A person's field in conflict, which the file's buttons settle.
        let resolvable: Bool
        /// Where the value leads: the file of the person a household link names; "" when nowhere.
        let link: String
        let hasLink: Bool

        /// The field as shown, or nil when it holds nothing; a reference reads as the name of
        /// what it points to (`names`), never as an id.
        /// - Parameter settles: a conflict here is settled on the page (a person's field, a record
        ///   of the team), not in the record's form.
        init?(
            _ field: FieldSchema, _ view: FieldView?, type: String, text: FrenchText, deviceNames: [String: String],
            names: References, settles: Bool
        ) {
            guard let view, !view.values.isEmpty || view.inConflict || view.unreadable else { return nil }
            func shown(_ value: String) -> String {
                field.kind == .reference ? names.name(value, field.target ?? "") : text.value(value, field: field, type: type)
            }
            candidates = view.candidates.enumerated().map { index, candidate in
                Candidate(
                    index: index, value: candidate.value.map(shown) ?? "(effacé)",
                    author: deviceNames[candidate.device] ?? "un autre appareil", when: FrenchText.moment(candidate.writtenAt))
            }
            name = field.name
            label = text.label(field: field.name, of: type)
            value =
                view.unreadable
                ? "Illisible sur cet ordinateur"
                : field.kind == .reference
                    ? view.values.map(shown).joined(separator: ", ") : text.values(view.values, field: field, type: type)
            inConflict = view.inConflict
            resolvable = view.inConflict && settles
            link = field.kind == .reference && field.target == "person" ? view.values.first.map(names.link) ?? "" : ""
            hasLink = !link.isEmpty
        }
    }

    /// How references read: the name of the partner or person an id names, and the address of a
    /// person's file.
    struct References {
        let name: (_ id: String, _ type: String) -> String
        let link: (_ id: String) -> String
    }

    struct Candidate {
        /// Its place among the field's values, which "Garder cette valeur" posts.
        let index: Int
        let value: String
        let author: String
        let when: String
    }

    struct Section {
        /// What the edit form's address names it by.
        let code: String
        let title: String
        let fields: [Field]
        /// Stored, not computed: templates read properties by reflection.
        let isEmpty: Bool
        /// The section has fields still written (the rights' are now episodes, listed apart).
        let editable: Bool
        /// An empty section nobody can fill is left out.
        let shown: Bool

        init(code: String, title: String, fields: [Field], editable: Bool) {
            self.code = code
            self.title = title
            self.fields = fields
            self.editable = editable
            isEmpty = fields.isEmpty
            shown = editable || !fields.isEmpty
        }
    }

    struct Linked {
        let type: String
        let title: String
        /// "Nouvelle visite", "Nouvelle orientation"...
        let newTitle: String
        let records: [Record]
        let count: Int

        init(type: String, title: String, newTitle: String, records: [Record]) {
            (self.type, self.title, self.newTitle, self.records, count) = (type, title, newTitle, records, records.count)
        }
    }

    struct Record {
        /// The record's opaque name in this session, for its edit form's address.
        let ref: String
        let fields: [Field]
    }

    let title: String
    /// The labels of the person's fields in conflict, for the notice at the top of the page.
    let conflicts: String
    let hasConflicts: Bool
    let sections: [Section]
    let linked: [Linked]
    let incomplete: Bool
    /// The file holds data only a newer version of Relais shows.
    let newer: Bool
    /// The opaque names of the duplicates merged into this file, for "Annuler la fusion".
    let merged: [String]
    let hasMerged: Bool

    /// - Parameter handle: the opaque name of a record in this session.
    init(
        file: PersonFile, schema: Schema, text: FrenchText, deviceNames: [String: String], names: References,
        handle: (String) -> String
    ) throws(SchemaError) {
        let labels = text.labels
        let person = try schema.recordType("person")
        let byName = Dictionary(uniqueKeysWithValues: file.fields.map { ($0.name, $0) })
        func shown(_ field: FieldSchema, _ view: FieldView?, type: String) -> Field? {
            Field(field, view, type: type, text: text, deviceNames: deviceNames, names: names, settles: type == "person")
        }
        sections = labels.sections.map { section in
            let inSection = person.fields.filter { labels.fields["person"]?[$0.name]?.section == section.code }
            return Section(
                code: section.code, title: section.label,
                fields: inSection.compactMap { shown($0, byName[$0.name], type: "person") },
                editable: inSection.contains { $0.deprecated == nil })
        }
        linked = schema.linkedTypes.map { type in
            Linked(
                type: type.name, title: labels.linkedSections[type.name] ?? type.name, newTitle: Site.newRecordTitle(type.name),
                records: file.linked.filter { $0.type == type.name }.map { record in
                    let fields = Dictionary(uniqueKeysWithValues: record.fields.map { ($0.name, $0) })
                    return Record(
                        ref: handle(record.id),
                        fields: FieldOrder.ordered(type.fields, of: type.name).compactMap {
                            shown($0, fields[$0.name], type: type.name)
                        })
                })
        }
        title = Site.name(given: byName["given_names"]?.values.first, family: byName["family_name"]?.values.first)
        incomplete = file.incomplete
        newer = file.newer
        merged = file.mergedFrom.map(handle)
        hasMerged = !merged.isEmpty
        let conflicted = sections.flatMap(\.fields).filter(\.inConflict).map(\.label)
        conflicts = conflicted.joined(separator: ", ")
        hasConflicts = !conflicted.isEmpty
    }
}
