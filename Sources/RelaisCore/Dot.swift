/// Identifies one operation everywhere: the change that carried it and its index in that change.
///
/// Registers and sets name what they supersede or remove by dot, so causality, never wall-clock
/// order, decides which writes replace which.
public struct Dot: Hashable, Comparable, Sendable {
    public let origin: DeviceID
    public let sequence: UInt64
    public let index: UInt32

    public init(origin: DeviceID, sequence: UInt64, index: UInt32) {
        self.origin = origin
        self.sequence = sequence
        self.index = index
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.origin, lhs.sequence, lhs.index) < (rhs.origin, rhs.sequence, rhs.index)
    }
}
