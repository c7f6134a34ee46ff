import RelaisCore

/// An assignment checked against the schema before anything is written: the field's schema and
/// the values it holds after the write (nil: cleared).
struct CheckedAssignment {
    let field: FieldSchema
    let values: [FieldValue]?

    /// - Throws: `StoreError.schema` naming the field and what it accepts, `.invalidWrite` when
    ///   there is nothing to write.
    static func check(_ assignments: [FieldAssignment], type: String, schema: Schema, settling: Bool = false)
        throws(StoreError) -> [CheckedAssignment]
    {
        guard !assignments.isEmpty else { throw .invalidWrite("nothing to write: no field is given") }
        do {
            return try schema.check(assignments, type: type, settling: settling).map {
                CheckedAssignment(field: $0.0, values: $0.1)
            }
        } catch {
            throw .schema(error)
        }
    }
}
