/// Names one record (a person, visit, referral or appointment) on every replica.
public struct RecordID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: Identifier128

    public init(_ value: Identifier128) { self.value = value }

    public var hex: String { value.hex }
    public var description: String { hex }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}
