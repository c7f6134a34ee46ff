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
    /// Bytes of a device name: every node must be able to decode every certificate of its roster,
    /// so names are checked when a device is created or invited, not only when decoded.
    public static let deviceNameBytesMax = 200
    /// Bytes of a care team's name: short lowercase names read the same on every device and log.
    public static let careTeamNameBytesMax = 32
    /// Admin key links a roster or Hello may carry: admin key rotations are rare, and a Hello
    /// must fit a 2 KiB handshake frame.
    public static let adminKeyLinksMax = 8
    /// Team key epochs a roster may name; the keyring holds one key per epoch.
    public static let teamKeyEpochsMax = 1_000
    /// Bytes of one team key sealed to one device.
    public static let sealedTeamKeyBytesMax = 128
    /// Certificates in one roster.
    public static let rosterCertificatesMax = 10_000
    /// Bytes of an encoded roster: it travels in one sync frame (64 KiB, less the envelope and the
    /// Noise tag), so a roster that would not fit is never signed.
    public static let rosterBytesMax = 60_000
}

extension Limits {
    /// Bytes of one encoded change: it must fit in one sync frame with room for the batch envelope.
    public static let changeBytesMax = 60_000
}
