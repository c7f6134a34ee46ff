/// The opaque on-disk and on-wire name of one field of one person's records.
///
/// Derived by the store with a keyed hash under the person's own data key, so a field called
/// `hiv` never appears as such, and the same field has unrelated tokens for different persons.
public struct FieldToken: Hashable, Comparable, Sendable {
    public let rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
