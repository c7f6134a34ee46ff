/// Names a team; every certificate and roster carries it, so devices of another team are refused.
public struct TeamID: Hashable, Sendable, CustomStringConvertible {
    public let value: Identifier128

    public init(_ value: Identifier128) { self.value = value }

    public var hex: String { value.hex }
    public var description: String { String(hex.prefix(8)) }
}
