/// Identifies one operation everywhere: the change that carried it and its index in that change.
///
/// Registers and sets name what they supersede or remove by dot, so causality, never wall-clock
/// order, decides which writes replace which.
public struct Dot: Hashable, Comparable, Sendable {
    /// The device that wrote the operation.
    public let origin: DeviceID
    /// The number of the change that carries it.
    public let sequence: UInt64
    /// The operation's place in that change.
    public let index: UInt32

    /// The dot of operation `index` of change `sequence` of `origin`.
    public init(origin: DeviceID, sequence: UInt64, index: UInt32) {
        self.origin = origin
        self.sequence = sequence
        self.index = index
    }

    /// Orders dots by origin, sequence, then index: the tie-break every replica shares.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.origin, lhs.sequence, lhs.index) < (rhs.origin, rhs.sequence, rhs.index)
    }
}
