/// Names a team; every certificate and roster carries it, so devices of another team are refused.
public struct TeamID: Hashable, Sendable, CustomStringConvertible {
    /// The 128-bit identifier.
    public let value: Identifier128

    /// The team named by `value`.
    public init(_ value: Identifier128) { self.value = value }

    /// The identifier in lowercase hexadecimal.
    public var hex: String { value.hex }
    /// The first 8 hexadecimal digits, for logs.
    public var description: String { String(hex.prefix(8)) }
}
