/// Changes a session hands over at once, with the closures of the pruned devices among their
/// origins (SPEC.md §10): a node that never knew such a device verifies its changes with them.
public struct ChangeBatch: Hashable, Sendable {
    public var changes: [Change]
    public var closures: [OriginClosure]

    public init(_ changes: [Change], closures: [OriginClosure] = []) {
        self.changes = changes
        self.closures = closures
    }
}
