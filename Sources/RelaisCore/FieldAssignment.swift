/// What one write puts in one field of a record: the values the field holds after it (one, or
/// the elements of a set field), or nil to clear the field.
public struct FieldAssignment: Hashable, Sendable {
    /// The field's name in the schema.
    public let field: String
    /// The values after the write; nil clears the field.
    public let values: [FieldValue]?

    /// Assigns `values` to `field`; nil clears it.
    public init(_ field: String, _ values: [FieldValue]?) {
        self.field = field
        self.values = values
    }
}

extension Schema {
    /// Checks assignments for a record of `type` before anything is written: each field exists,
    /// each value is of the field's kind and within its bounds, and no field is given twice.
    /// - Returns: each assignment with its field's schema, in order.
    /// - Throws: `SchemaError` naming the field and what it accepts.
    /// - Parameter settling: the write settles a conflict, which a deprecated field may still hold.
    public func check(_ assignments: [FieldAssignment], type: String, settling: Bool = false) throws(SchemaError)
        -> [(FieldSchema, [FieldValue]?)]
    {
        let recordType = try recordType(type)
        var seen: Set<String> = []
        var checked: [(FieldSchema, [FieldValue]?)] = []
        for assignment in assignments {
            guard seen.insert(assignment.field).inserted else { throw .repeatedField(assignment.field) }
            let field = try recordType.field(assignment.field)
            // Clearing what an older version wrote, or settling its conflict, stays possible.
            if field.deprecated != nil, assignment.values != nil, !settling {
                throw .deprecatedField(type: type, field: field.name, replacedBy: field.replacedBy)
            }
            for value in assignment.values ?? [] { try field.check(value) }
            if !field.isSet, let values = assignment.values, values.count != 1 {
                throw .invalidValue(field: field.name, value: "\(values.count) values", expected: "one value")
            }
            checked.append((field, assignment.values))
        }
        return checked
    }

    /// Parses the command line's `FIELD=VALUE` texts, and the names of fields to clear.
    /// - Throws: `SchemaError` naming the field and what it accepts.
    public func assignments(set: [String], unset: [String], type: String) throws(SchemaError) -> [FieldAssignment] {
        var result: [FieldAssignment] = []
        for text in set {
            let (field, values) = try parseAssignment(text, type: type)
            result.append(FieldAssignment(field.name, values))
        }
        for name in unset { result.append(FieldAssignment(try recordType(type).field(name).name, nil)) }
        return result
    }
}

extension FieldSchema {
    /// Checks a typed value as `parse` checks text: a value is valid when its text form reads
    /// back as itself, so both ways in share every bound and every message.
    /// - Throws: `SchemaError` naming the field and what it accepts.
    public func check(_ value: FieldValue) throws(SchemaError) {
        guard try parse(value.description) == [value] else {
            throw .invalidValue(
                field: name, value: String(value.description.prefix(40)), expected: "a value of kind \(kind.rawValue)")
        }
    }
}
