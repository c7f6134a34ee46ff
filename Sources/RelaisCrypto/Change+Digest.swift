import RelaisCore

extension Change {
    /// How a change's operations are digested for its signature: BLAKE2b-256, which a redacted slot
    /// carries, so a redacted change still verifies (SPEC.md §3). Here rather than beside the
    /// format in RelaisCore, which calls no cryptography.
    public static let operationDigest: OperationDigest = {
        Hash.blake2b($0, outputBytes: Limits.operationDigestBytes)
    }
}
