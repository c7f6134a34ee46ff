/// What a replica holds of one person's file (SPEC.md §14).
public enum PersonHolding: UInt8, Sendable {
    /// Every operation on the person that the replica's vector covers is applied: the default.
    case held = 0
    /// The person is in the replica's scope but some of its operations came redacted (relayed by
    /// a node outside the scope, or the person just entered it): they are asked for by digest,
    /// and the file is rebuilt once none is missing.
    case awaiting = 1
    /// The person is outside the replica's scope: nothing of it is kept beyond its scope and the
    /// digests of its operations.
    case outside = 2
}
