import RelaisCore
import RelaisStore

/// The command line's `--set FIELD=VALUE` and `--unset FIELD`, read against the schema into the
/// typed values the replica writes.
enum FieldInput {
    /// - Parameter usage: what to say when nothing is given ("give at least one --set FIELD=VALUE").
    /// - Throws: `CommandError` when nothing is given, `StoreError.schema` naming the field and what it accepts.
    static func assignments(set: [String], unset: [String] = [], type: String, schema: Schema, usage: String) throws
        -> [FieldAssignment]
    {
        guard !set.isEmpty || !unset.isEmpty else { throw CommandError(description: usage) }
        do {
            return try schema.assignments(set: set, unset: unset, type: type)
        } catch {
            throw StoreError.schema(error)
        }
    }
}
