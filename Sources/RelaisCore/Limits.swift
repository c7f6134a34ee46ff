/// Every bound RelaisCore enforces, named once (STYLE.md §6).
public enum Limits {
    /// A peer's clock may run this far ahead of ours before we stop following it: a laptop with a
    /// wrong date must not drag every replica's clock into the future.
    public static let clockDriftMax: Duration = .seconds(60)
    /// The logical counter of a hybrid timestamp has 16 bits.
    public static let clockCounterMax: UInt64 = 0xFFFF
    /// Operations in one change: a CLI transaction writes a few dozen at most.
    public static let changeOperationsMax = 4_096
    /// Bytes of one sealed value (the longest note plus AEAD overhead, with room to spare).
    public static let sealedValueBytesMax = 64 * 1_024
    /// Dots one operation may supersede or remove.
    public static let supersededDotsMax = 1_024
    /// The highest sequence number: stores keep sequences as signed 64-bit integers (SQLite's).
    public static let sequenceMax = UInt64(Int64.max)
    /// Origins in one version vector: far above the 10–50 laptops of a hub.
    public static let vectorOriginsMax = 4_096
    /// Changes held back while their predecessors are missing.
    public static let pendingChangesMax = 100_000
    /// Ed25519 signature bytes.
    public static let signatureBytes = 64
    /// Bytes of an operation digest (BLAKE2b-256) in a change's signed body.
    public static let operationDigestBytes = 32
    /// Care teams one person or one device belongs to.
    public static let careTeamsMax = 32
}

extension Limits {
    /// Bytes of one encoded change: it must fit in one sync frame with room for the batch envelope.
    public static let changeBytesMax = 60_000
}
