/// Changes a session hands over at once, with the closures of the pruned devices among their
/// origins (SPEC.md §10): a node that never knew such a device verifies its changes with them.
public struct ChangeBatch: Hashable, Sendable {
    /// The changes, in the order the receiver applies them.
    public var changes: [Change]
    /// The closures of pruned devices among the changes' origins, kept before the changes.
    public var closures: [OriginClosure]

    /// A batch of `changes`, with the `closures` their verification needs.
    public init(_ changes: [Change], closures: [OriginClosure] = []) {
        self.changes = changes
        self.closures = closures
    }
}
