import RelaisCore

/// Every bound RelaisSync enforces, named once (STYLE.md §6).
public enum Limits {
    /// Bytes of a frame's content: the largest Noise message. The length prefix is a `u16`.
    public static let frameBytesMax = 65_535
    /// Bytes of a frame's length prefix.
    public static let frameHeaderBytes = 2
    /// Bytes of the protobuf envelope of a batch, beyond its changes, in the worst case.
    public static let batchEnvelopeBytesMax = 2_048
    /// Bytes of the changes of one batch: a batch, sealed, must fit in one frame.
    public static let batchBytesMax = frameBytesMax - 16 - batchEnvelopeBytesMax
    /// Changes in one batch.
    public static let batchChangesMax = 512
    /// Batches sent and not yet acknowledged; bounds what a cut connection loses.
    public static let batchesInFlightMax = 4
    /// Time a TCP connection to a peer may take to open.
    public static let connectTimeout: Duration = .seconds(10)
    /// Time a peer has to complete the handshake (three frames), even over a poor link.
    public static let handshakeTimeout: Duration = .seconds(10)
    /// The largest handshake frame: before a peer is authenticated it may not make us buffer more
    /// (a Hello with its certificate needs well under 1 KiB). A responder receives two handshake
    /// frames (messages 1 and 3), an initiator one (message 2).
    public static let handshakeFrameBytesMax = 2_048
    /// Time a session may stay silent before it is closed.
    public static let sessionIdleTimeout: Duration = .seconds(60)
    /// A side that has written nothing for this long sends a keep-alive frame: a hub applying
    /// other sessions' batches, or a laptop waiting for its acknowledgements, is not silent.
    public static let keepAliveInterval: Duration = .seconds(20)
    /// Concurrent sessions a node serves; more are refused as busy.
    public static let sessionsMax = 128
    /// Connections still in their handshake; beyond this, or when the node is full, the oldest of
    /// them is closed to admit a new one if it has been at it for `handshakeDawdling`, else the new
    /// one is closed (floods and slow-loris clients, see `ConnectionAdmission`).
    public static let handshakesMax = 64
    /// Longer than an honest handshake takes over a poor link (three messages, 300 ms round trips).
    public static let handshakeDawdling: Duration = .seconds(2)
    /// Persons one fill request names, and bytes of changes a fill answers with in one session:
    /// a person's file is a few hundred changes; what does not fit is asked for next session.
    public static let fillPersonsMax = 64
    /// Bytes of changes one fill answer carries.
    public static let fillBytesMax = 4 * 1_024 * 1_024
    /// The protocol version spoken, and the oldest still accepted. Version 2: rosters of format 4
    /// (revocations bounded by sequence) and closures in batches; a version-1 peer would void by
    /// time and could not read the roster, so replicas would differ (SPEC.md §12).
    public static let protocolVersion: UInt32 = 2
    /// The oldest protocol version still accepted.
    public static let protocolVersionMin: UInt32 = 2
}
