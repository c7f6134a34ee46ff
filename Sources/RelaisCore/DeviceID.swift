/// Names one device (a laptop or a hub) for as long as it is enrolled; stable across key rotations.
public struct DeviceID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 128-bit identifier.
    public let value: Identifier128

    /// The device named by `value`.
    public init(_ value: Identifier128) { self.value = value }

    /// The identifier in lowercase hexadecimal, as the CLI shows it.
    public var hex: String { value.hex }
    /// The first 8 hex digits: enough for people to tell devices apart in logs and status.
    public var description: String { String(hex.prefix(8)) }

    /// Orders devices by identifier, so encodings are canonical.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}
