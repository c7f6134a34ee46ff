/// Names one device (a laptop or a hub) for as long as it is enrolled; stable across key rotations.
public struct DeviceID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: Identifier128

    public init(_ value: Identifier128) { self.value = value }

    public var hex: String { value.hex }
    /// The first 8 hex digits: enough for people to tell devices apart in logs and status.
    public var description: String { String(hex.prefix(8)) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}
