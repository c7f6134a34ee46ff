/// How the admin took a device back (SPEC.md §10). Its sessions are refused from `at` on; its
/// changes are bounded by sequence, not by the time they claim: those numbered up to
/// `validThrough` (what the admin node held when it revoked) stay valid on every node, every later
/// one is void on every node. A time would not do: a thief with the laptop can stamp any time,
/// and an honest laptop whose clock runs ahead stamps its writes later than they were made.
public struct Revocation: Hashable, Sendable {
    /// When the admin revoked the device; its sessions are refused from then on.
    public let at: WallTime
    /// The number of its last change that stays valid.
    public let validThrough: UInt64

    /// A revocation at `at`, keeping the changes numbered up to `validThrough`.
    public init(at: WallTime, validThrough: UInt64) {
        self.at = at
        self.validThrough = validThrough
    }

    /// Whether the change numbered `sequence` of the revoked device is void.
    public func voids(sequence: UInt64) -> Bool { sequence > validThrough }
}
