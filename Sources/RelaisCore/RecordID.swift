/// Names one record (a person, visit, referral or appointment) on every replica.
public struct RecordID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 128-bit identifier.
    public let value: Identifier128

    /// The record named by `value`.
    public init(_ value: Identifier128) { self.value = value }

    /// The identifier in lowercase hexadecimal, as the CLI shows it.
    public var hex: String { value.hex }
    /// The identifier in hexadecimal.
    public var description: String { hex }

    /// Orders records by identifier, so every replica walks them alike.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}
