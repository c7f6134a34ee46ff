/// The decoders and state machines that read bytes from a peer, a file or a person, each as a
/// function of one input that libFuzzer (`make fuzz`) and the smoke tests (`make test`) call.
///
/// A target returns whether the input got all the way through (`accepted`) or was refused
/// (`rejected`); it crashes only on a bug: a refused input must never trap, leak or alter state.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// `FrameDecoder` over a stream cut into chunks.
    case frame
    /// The Noise handshake of a responding and an initiating `SyncSession`, and the peer's `Hello`.
    case handshake
    /// Envelopes sent by an authenticated peer to a `SyncSession`.
    case message
    /// Change decoding, signature verification and application to a replica.
    case change
    /// Schema documents and the `FIELD=VALUE` assignments people type.
    case schema
    /// Bundle files and their opened content.
    case bundle

    /// Builds what every input starts from, before the first input: LeakSanitizer would take
    /// a state made once, during an input, for that input's leak.
    public func prepare() {
        if self == .change || self == .bundle { _ = try? ReplicaFixture.make() }
    }

    public func run(_ input: [UInt8]) -> FuzzOutcome {
        switch self {
        case .frame: FrameTarget.run(input)
        case .handshake: HandshakeTarget.run(input)
        case .message: MessageTarget.run(input)
        case .change: ChangeTarget.run(input)
        case .schema: SchemaTarget.run(input)
        case .bundle: BundleTarget.run(input)
        }
    }

    /// Inputs that are accepted: the seed corpus, written by `relais-fuzz seed`.
    public func seeds() throws -> [[UInt8]] {
        switch self {
        case .frame: FrameTarget.seeds()
        case .handshake: try HandshakeTarget.seeds()
        case .message: try MessageTarget.seeds()
        case .change: try ChangeTarget.seeds()
        case .schema: SchemaTarget.seeds()
        case .bundle: try BundleTarget.seeds()
        }
    }
}

public enum FuzzOutcome: Hashable, Sendable {
    case accepted
    case rejected
}
