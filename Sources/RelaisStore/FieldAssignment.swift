import RelaisCore

/// A validated `FIELD=VALUE` (or an `--unset FIELD`, whose values are nil).
struct FieldAssignment {
    let field: FieldSchema
    let values: [FieldValue]?

    /// Parses every assignment against the schema before anything is written.
    /// - Throws: `StoreError.schema` naming the field and its allowed values, or
    ///   `.invalidWrite` when a field is named twice.
    static func parse(set: [String], unset: [String], type: String, schema: Schema) throws(StoreError) -> [FieldAssignment] {
        var result: [FieldAssignment] = []
        do {
            for text in set {
                let (field, values) = try schema.parseAssignment(text, type: type)
                result.append(FieldAssignment(field: field, values: values))
            }
            for name in unset {
                result.append(FieldAssignment(field: try schema.recordType(type).field(name), values: nil))
            }
        } catch {
            throw .schema(error)
        }
        var seen: Set<String> = []
        for assignment in result where !seen.insert(assignment.field.name).inserted {
            throw .invalidWrite("\(assignment.field.name) is given more than once")
        }
        return result
    }
}
