/// The record types and fields a replica accepts, read from the versioned data file that ships
/// with the program (RelaisStore decodes it; this module stays free of I/O).
public struct Schema: Codable, Hashable, Sendable {
    /// The schema's version; every replica of a team ships the same one.
    public let version: Int
    /// The record types, `person` first.
    public let recordTypes: [RecordTypeSchema]
    /// Tokens the store writes beside the record types' fields, which another implementation
    /// must know to read a replica (SPEC.md §5).
    public let systemFields: [SystemFieldSchema]

    /// A schema of these record types and system fields.
    public init(version: Int, recordTypes: [RecordTypeSchema], systemFields: [SystemFieldSchema] = []) {
        self.version = version
        self.recordTypes = recordTypes
        self.systemFields = systemFields
    }

    /// Reads the schema file's JSON; `system_fields` may be absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            version: try container.decode(Int.self, forKey: .version),
            recordTypes: try container.decode([RecordTypeSchema].self, forKey: .recordTypes),
            systemFields: try container.decodeIfPresent([SystemFieldSchema].self, forKey: .systemFields) ?? [])
    }

    enum CodingKeys: String, CodingKey {
        case version
        case recordTypes = "record_types"
        case systemFields = "system_fields"
    }

    /// - Throws: `SchemaError.unknownRecordType` naming the types that exist.
    public func recordType(_ name: String) throws(SchemaError) -> RecordTypeSchema {
        guard let type = recordTypes.first(where: { $0.name == name }) else {
            throw .unknownRecordType(name, allowed: recordTypes.map(\.name))
        }
        return type
    }

    /// The types whose records belong to a person's file, beside the person's own fields.
    public var linkedTypes: [RecordTypeSchema] { recordTypes.filter { $0.linkedTo == "person" } }

    /// The types of records that belong to the whole organisation (the directory, collective activity).
    public var organisationTypes: [RecordTypeSchema] { recordTypes.filter(\.isOrganisation) }
}

/// A token that is no field of a record type: a record's sealed type, a person's merge link.
public struct SystemFieldSchema: Codable, Hashable, Sendable {
    /// What the field token hashes after `relais.field.v1|`, such as `person.$merged_into`.
    public let token: String
    /// What the field holds.
    public let kind: FieldKind
    /// The record type a reference points to, for a `reference` field.
    public let target: String?
    /// What the field is for, in words, for another implementation's reader.
    public let meaning: String
}

/// One record type: `person`, a record linked to a person such as `visit`, or a record of the
/// whole organisation such as a `partner` of the directory (SPEC.md §2, §6).
public struct RecordTypeSchema: Codable, Hashable, Sendable {
    /// The name people type (`person`, `visit`); it is hashed into field tokens.
    public let name: String
    /// The record type this one belongs to (`person` for visits), or nil for a person or an
    /// organisation record.
    public let linkedTo: String?
    /// A record that belongs to no person: it holds its own key, like a person, and the whole
    /// organisation's scope. Absent: false.
    public let organisation: Bool?
    /// The schema version that added the type; absent: 1.
    public let since: Int?
    /// The fields of the type, in display order.
    public let fields: [FieldSchema]

    /// A record type of these fields, linked to `linkedTo` (nil for a person or an organisation record).
    public init(name: String, linkedTo: String?, organisation: Bool = false, since: Int? = nil, fields: [FieldSchema]) {
        self.name = name
        self.linkedTo = linkedTo
        self.organisation = organisation ? true : nil
        self.since = since
        self.fields = fields
    }

    enum CodingKeys: String, CodingKey {
        case name, fields, organisation, since
        case linkedTo = "linked_to"
    }

    /// Whether records of this type belong to the whole organisation rather than to a person.
    public var isOrganisation: Bool { organisation == true }

    /// The fields a person may still write: all but the deprecated ones.
    public var writableFields: [FieldSchema] { fields.filter { $0.deprecated == nil } }

    /// - Throws: `SchemaError.unknownField` naming the fields of this type.
    public func field(_ name: String) throws(SchemaError) -> FieldSchema {
        guard let field = fields.first(where: { $0.name == name }) else {
            throw .unknownField(type: self.name, field: name, allowed: fields.map(\.name))
        }
        return field
    }
}

/// One field, its type, its sensitivity and the values it allows.
public struct FieldSchema: Codable, Hashable, Sendable {
    /// The name people type (`family_name`); it is hashed into the field's token.
    public let name: String
    /// What the field holds.
    public let kind: FieldKind
    /// How sensitive the field is.
    public let sensitivity: Sensitivity
    /// Allowed values of `enum` and `enum_set` fields.
    public let values: [String]?
    /// The smallest value of an `integer` field, inclusive.
    public let minimum: Int64?
    /// The largest value of an `integer` field, inclusive.
    public let maximum: Int64?
    /// Longest `text` value, in characters.
    public let maxLength: Int?
    /// The record type a `reference` field points to.
    public let target: String?
    /// A `text` field's shape: `time` (a time of day, stored `HH:MM`); absent: free text.
    public let format: TextFormat?
    /// The schema version that added the field; absent: 1.
    public let since: Int?
    /// The schema version from which the field is no longer written (it is still read and shown).
    public let deprecated: Int?
    /// What a deprecated field's values are now written as (`rights_episode`).
    public let replacedBy: String?

    /// A field of `kind`, with the bounds that kind uses.
    public init(
        name: String, kind: FieldKind, sensitivity: Sensitivity, values: [String]? = nil,
        minimum: Int64? = nil, maximum: Int64? = nil, maxLength: Int? = nil, target: String? = nil, format: TextFormat? = nil,
        since: Int? = nil, deprecated: Int? = nil, replacedBy: String? = nil
    ) {
        self.name = name
        self.kind = kind
        self.sensitivity = sensitivity
        self.values = values
        self.minimum = minimum
        self.maximum = maximum
        self.maxLength = maxLength
        self.target = target
        self.format = format
        self.since = since
        self.deprecated = deprecated
        self.replacedBy = replacedBy
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, sensitivity, values, minimum, maximum, target, format, since, deprecated
        case maxLength = "max_length"
        case replacedBy = "replaced_by"
    }

    /// The shapes a `text` field may be held to.
    public enum TextFormat: String, Codable, Hashable, Sendable {
        case time
    }

    /// Whether the field holds a set of values (an add-wins set) rather than one value.
    public var isSet: Bool { kind == .enumSet }
}

/// The kinds of value a field holds, as the schema file names them.
public enum FieldKind: String, Codable, Hashable, Sendable {
    case text, date, boolean, integer, reference
    case enumeration = "enum"
    case enumSet = "enum_set"
}

/// How sensitive a field is; `health` fields are the ones a thief must learn nothing about.
public enum Sensitivity: String, Codable, Hashable, Sendable, CaseIterable {
    case identity, social, health, programme
}
