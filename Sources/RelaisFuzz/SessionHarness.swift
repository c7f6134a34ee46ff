import RelaisCore
import RelaisCrypto
import RelaisSync

/// A `SyncSession` answered the way a daemon holding nothing would (every peer accepted, every
/// batch applied), facing a bare Noise initiator the harness drives: what a peer could send,
/// byte for byte, once authenticated.
struct SessionHarness {
    private(set) var session: SyncSession
    private var peer: NoiseHandshake
    private var transport: NoiseTransport?
    /// What the session loads for its peer, once.
    private var changesToSend: [Change]
    private(set) var isVerified = false
    private(set) var closeReason: CloseReason?
    /// The envelopes the session sent once authenticated, opened.
    private(set) var sentEnvelopes: [[UInt8]] = []

    init(role: SyncSession.Role = .responder, changesToSend: [Change] = []) throws {
        session = try SyncSession(
            role: role, staticKey: .generate(), localHello: PeerHello(certificate: nil, rosterVersion: 0))
        peer = try NoiseHandshake(
            protocolName: SyncSession.protocolName, isInitiator: true, prologue: SyncSession.prologue,
            keys: .init(localStatic: .generate()))
        self.changesToSend = changesToSend
    }

    /// Whether the session neither failed nor refused anything.
    var isSound: Bool {
        switch closeReason {
        case nil, .completed?: true
        default: false
        }
    }

    /// Runs the handshake as the initiator, sending the `Hello` that `hello` makes from the
    /// responder's own (a valid one to echo).
    mutating func authenticate(hello: ([UInt8]) -> [UInt8]) throws(HandshakeError) {
        let first = try peer.writeMessage(payload: [])
        guard let second = perform(session.receive(first)).first else { return }
        let responderHello = try peer.readMessage(second)
        let third = try peer.writeMessage(payload: hello(responderHello))
        transport = peer.transport()
        perform(session.receive(third))
    }

    /// Feeds a frame as it came off the wire, during the handshake or after it.
    mutating func receive(_ frame: [UInt8]) {
        perform(session.receive(frame))
    }

    /// Seals `envelope` as the authenticated peer and feeds it.
    mutating func deliver(_ envelope: [UInt8]) throws(HandshakeError) {
        guard var transport, !session.isClosed else { return }
        let sealed = try transport.seal(envelope)
        self.transport = transport
        perform(session.receive(sealed))
    }

    mutating func start() { perform(session.start()) }

    /// Carries out the session's actions; returns the messages it sent before the handshake ended.
    @discardableResult
    private mutating func perform(_ actions: [SessionAction]) -> [[UInt8]] {
        var handshakeMessages: [[UInt8]] = []
        for action in actions {
            switch action {
            case .send(let message):
                if var transport {
                    if let opened = try? transport.open(message) { sentEnvelopes.append(opened) }
                    self.transport = transport
                } else {
                    handshakeMessages.append(message)
                }
            case .verifyPeer:
                isVerified = true
                perform(session.peerAccepted(localVector: VersionVector(), roster: nil))
            case .loadChanges:
                let changes = changesToSend
                changesToSend = []
                perform(session.changesLoaded(ChangeBatch(changes)))
            case .applyChanges(let batch):
                var vector = VersionVector()
                for change in batch.changes { vector.raise(change.origin, to: change.sequence) }
                perform(session.changesApplied(vector: vector))
            case .loadFill:
                perform(session.fillLoaded([]))
            case .applyFill:
                perform(session.fillApplied())
            case .certifyKeyChange:
                perform(session.keyChangeRefused(reason: "this harness certifies nothing"))
            case .adoptRoster, .peerHolds, .compareHeads, .keyChanged:
                break
            case .close(let reason):
                closeReason = reason
            }
        }
        return handshakeMessages
    }
}
