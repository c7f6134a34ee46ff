extension Schema {
    /// Checks the schema itself when it is loaded, so a broken data file fails at start-up.
    /// - Throws: `SchemaError.invalidSchema` naming the first problem.
    public func validate() throws(SchemaError) {
        var typeNames: Set<String> = []
        for type in recordTypes {
            guard typeNames.insert(type.name).inserted else { throw .invalidSchema("type \(type.name) appears twice") }
            if let parent = type.linkedTo, !recordTypes.contains(where: { $0.name == parent }) {
                throw .invalidSchema("\(type.name) is linked to unknown type \(parent)")
            }
            var fieldNames: Set<String> = []
            for field in type.fields {
                guard fieldNames.insert(field.name).inserted else {
                    throw .invalidSchema("\(type.name).\(field.name) appears twice")
                }
                try validate(field, of: type)
            }
        }
    }

    private func validate(_ field: FieldSchema, of type: RecordTypeSchema) throws(SchemaError) {
        let label = "\(type.name).\(field.name)"
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
