extension Schema {
    /// Checks the schema itself when it is loaded, so a broken data file fails at start-up.
    /// - Throws: `SchemaError.invalidSchema` naming the first problem.
    public func validate() throws(SchemaError) {
        var typeNames: Set<String> = []
        guard let person = recordTypes.first, person.name == "person", person.linkedTo == nil, !person.isOrganisation else {
            throw .invalidSchema("the first type must be person, linked to nothing")
        }
        for type in recordTypes {
            guard typeNames.insert(type.name).inserted else { throw .invalidSchema("type \(type.name) appears twice") }
            if let parent = type.linkedTo, parent != "person" || type.isOrganisation {
                throw .invalidSchema("\(type.name) must be linked to person, or be an organisation record linked to nothing")
            }
            if type.linkedTo == nil, type.name != "person", !type.isOrganisation {
                throw .invalidSchema("\(type.name) is linked to nothing and is no organisation record")
            }
            try validate(since: type.since, label: type.name)
            var fieldNames: Set<String> = []
            for field in type.fields {
                guard fieldNames.insert(field.name).inserted else {
                    throw .invalidSchema("\(type.name).\(field.name) appears twice")
                }
                try validate(field, of: type)
            }
        }
    }

    private func validate(since: Int?, label: String) throws(SchemaError) {
        // Compared, not made a range: a schema of version 0 or less must be refused, not trap.
        let since = since ?? 1
        guard since >= 1, since <= version else { throw .invalidSchema("\(label) is added after this version, or before 1") }
    }

    private func validate(versions field: FieldSchema, label: String) throws(SchemaError) {
        try validate(since: field.since, label: label)
        if let deprecated = field.deprecated {
            guard deprecated > (field.since ?? 1), deprecated <= version else {
                throw .invalidSchema("\(label) is deprecated before it is added, or after this version")
            }
        }
        if let replacement = field.replacedBy, !recordTypes.contains(where: { $0.name == replacement }) {
            throw .invalidSchema("\(label) is replaced by an unknown type")
        }
        if field.format != nil, field.kind != .text { throw .invalidSchema("\(label) has a format but is no text") }
    }

    private func validate(_ field: FieldSchema, of type: RecordTypeSchema) throws(SchemaError) {
        let label = "\(type.name).\(field.name)"
        try validate(versions: field, label: label)
        switch field.kind {
        case .enumeration, .enumSet:
            guard let values = field.values, !values.isEmpty else { throw .invalidSchema("\(label) lists no values") }
        case .integer:
            guard let low = field.minimum, let high = field.maximum, low <= high else {
                throw .invalidSchema("\(label) needs minimum <= maximum")
            }
        case .reference:
            guard let target = field.target, recordTypes.contains(where: { $0.name == target }) else {
                throw .invalidSchema("\(label) references an unknown type")
            }
        case .text, .date, .boolean:
            break
        }
    }

    /// Parses `FIELD=VALUE` for a record of `type`.
    /// - Throws: `SchemaError` naming the field and its allowed values.
    public func parseAssignment(_ text: String, type: String) throws(SchemaError) -> (FieldSchema, [FieldValue]) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw .malformedAssignment(text)
        }
        let field = try recordType(type).field(String(text[..<equals]))
        return (field, try field.parse(String(text[text.index(after: equals)...])))
    }
}
