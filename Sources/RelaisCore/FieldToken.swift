/// The opaque on-disk and on-wire name of one field of one person's records.
///
/// Derived by the store with a keyed hash under the person's own data key, so a field called
/// `hiv` never appears as such, and the same field has unrelated tokens for different persons.
public struct FieldToken: Hashable, Comparable, Sendable {
    /// The first 8 bytes of the token's hash, big-endian.
    public let rawValue: UInt64

    /// The token whose value is `rawValue`.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Orders tokens by value.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
