/// The words a person reads for the schema's codes, in one language: record types, fields,
/// values, the sections of a person's file. Read from a data file beside the schema's
/// (`records.v2.fr.json`); the command line and the wire keep the codes.
public struct SchemaLabels: Codable, Hashable, Sendable {
    /// A field's label, where it is shown, and the value labels it uses.
    public struct Field: Codable, Hashable, Sendable {
        /// The field's name as a person reads it.
        public let label: String
        /// The section of a person's file the field is shown in (`sections`); nil for a linked record's.
        public let section: String?
        /// The key in `values` of the labels of an `enum` or `enum_set` field's values.
        public let values: String?
        /// Fields of one group (a health-coverage scheme) are shown together under `groups`' label.
        public let group: String?
    }

    /// A section of a person's file, in the order shown.
    public struct Section: Codable, Hashable, Sendable {
        /// What `Field.section` names it by.
        public let code: String
        /// The section's title.
        public let label: String
    }

    /// The schema version the labels are for.
    public let version: Int
    /// The language, as a BCP 47 tag (`fr`).
    public let language: String
    /// Each record type's name.
    public let recordTypes: [String: String]
    /// The title of a list of records of each type but `person`: a file's visits, the directory.
    public let linkedSections: [String: String]
    /// The sections of a person's file, in order.
    public let sections: [Section]
    /// The titles of groups of fields.
    public let groups: [String: String]
    /// How `true` and `false` read.
    public let booleans: [String: String]
    /// Fields by record type, then by name.
    public let fields: [String: [String: Field]]
    /// Value labels by the name fields give in `Field.values`, then by code.
    public let values: [String: [String: String]]
    /// The full form of each acronym the labels use, for help texts.
    public let acronyms: [String: String]

    enum CodingKeys: String, CodingKey {
        case version, language, sections, groups, booleans, fields, values, acronyms
        case recordTypes = "record_types"
        case linkedSections = "linked_sections"
    }

    /// The label of a field; its code when it has none (a newer schema's field).
    public func label(field: String, of type: String) -> String { fields[type]?[field]?.label ?? field }

    /// The label of a value of an `enum` or `enum_set` field; the code when it has none.
    public func label(value: String, field: String, of type: String) -> String {
        guard let set = fields[type]?[field]?.values else { return value }
        return values[set]?[value] ?? value
    }

    /// Every code of `schema` that has no label here and every label here for no code of
    /// `schema`, each as `type.field` or `type.field=value`: empty when the two agree.
    public func mismatches(with schema: Schema) -> [String] {
        var found: [String] = []
        let typeNames = Set(schema.recordTypes.map(\.name))
        found += typeNames.symmetricDifference(recordTypes.keys).sorted()
        found += Set(schema.recordTypes.filter { $0.name != "person" }.map(\.name)).symmetricDifference(linkedSections.keys)
            .sorted()
        let sectionCodes = Set(sections.map(\.code))
        for type in schema.recordTypes {
            let labelled = fields[type.name] ?? [:]
            found += Set(type.fields.map(\.name)).symmetricDifference(labelled.keys).sorted().map { "\(type.name).\($0)" }
            for field in type.fields {
                guard let label = labelled[field.name] else { continue }
                let path = "\(type.name).\(field.name)"
                if (type.name == "person") != (label.section.map(sectionCodes.contains) ?? false) {
                    found.append("\(path) section")
                }
                if let group = label.group, groups[group] == nil { found.append("\(path) group \(group)") }
                let codes = Set(field.values ?? [])
                let named = label.values.map { values[$0].map { Set($0.keys) } ?? ["?"] } ?? []
                found += codes.symmetricDifference(named).sorted().map { "\(path)=\($0)" }
            }
        }
        return found
    }
}
