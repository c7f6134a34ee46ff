import Dispatch
import RelaisCore
import RelaisCrypto
import RelaisSync

/// A `SyncSession` run by the production `SessionRunner` for a node holding `changesToSend` (every
/// peer accepted, every batch taken), facing a bare Noise initiator the harness drives: what a
/// peer could send, byte for byte, once authenticated.
struct SessionHarness {
    private var runner: SessionRunner<HarnessNode>
    private var peer: NoiseHandshake
    private var transport: NoiseTransport?
    private let verification: Verification
    private(set) var closeReason: CloseReason?
    /// The envelopes the session sent once authenticated, opened.
    private(set) var sentEnvelopes: [[UInt8]] = []

    init(role: SyncSession.Role = .responder, changesToSend: [Change] = []) throws {
        let session = try SyncSession(
            role: role, staticKey: .generate(), localHello: PeerHello(certificate: nil, rosterVersion: 0))
        let verification = Verification()
        self.verification = verification
        runner = SessionRunner(
            session, port: HarnessNode(changes: changesToSend),
            hooks: SessionHooks(admit: { _, verify in
                verification.happened = true
                return await verify()
            }))
        peer = try NoiseHandshake(
            protocolName: SyncSession.protocolName, isInitiator: true, prologue: SyncSession.prologue,
            keys: .init(localStatic: .generate()))
    }

    /// Whether the session checked its peer.
    var isVerified: Bool { verification.happened }

    /// Whether the session neither failed nor refused anything.
    var isSound: Bool {
        switch closeReason {
        case nil, .completed?: true
        default: false
        }
    }

    /// Runs the handshake as the initiator, sending the `Hello` that `hello` makes from the
    /// responder's own (a valid one to echo).
    mutating func authenticate(hello: ([UInt8]) -> [UInt8]) async throws(HandshakeError) {
        let first = try peer.writeMessage(payload: [])
        guard let second = await receive(first).first else { return }
        let responderHello = try peer.readMessage(second)
        let third = try peer.writeMessage(payload: hello(responderHello))
        transport = peer.transport()
        await receive(third)
    }

    /// Feeds a frame as it came off the wire, during the handshake or after it; returns the
    /// messages the session sent before its handshake ended.
    @discardableResult
    mutating func receive(_ frame: [UInt8]) async -> [[UInt8]] {
        await run { runner, send in try await runner.receive(frame, send: send) }
    }

    /// Seals `envelope` as the authenticated peer and feeds it.
    mutating func deliver(_ envelope: [UInt8]) async throws(HandshakeError) {
        guard var transport, !runner.session.isClosed else { return }
        let sealed = try transport.seal(envelope)
        self.transport = transport
        await receive(sealed)
    }

    mutating func start() async {
        _ = await run { runner, send in try await runner.start(send: send) }
    }

    /// Lets the runner carry out what `body` hands it; keeps what the session sent.
    private mutating func run(
        _ body: (inout SessionRunner<HarnessNode>, ([UInt8]) async throws -> Void) async throws -> SessionStep
    ) async -> [[UInt8]] {
        var runner = runner
        var transport = transport
        var handshakeMessages: [[UInt8]] = []
        var opened: [[UInt8]] = []
        let step = try? await body(&runner) { message in
            if var open = transport {
                if let envelope = try? open.open(message) { opened.append(envelope) }
                transport = open
            } else {
                handshakeMessages.append(message)
            }
        }
        self.runner = runner
        self.transport = transport
        sentEnvelopes += opened
        if case .closed(let reason)? = step { closeReason = reason }
        return handshakeMessages
    }

    /// Runs `body` to its end from a synchronous caller: libFuzzer's callback, or a test. The
    /// task runs on a queue of its own, never on the cooperative pool a blocked test may hold.
    static func blocking<T>(_ body: @escaping () async -> T) -> T {
        nonisolated(unsafe) let body = body
        nonisolated(unsafe) var result: T?
        let done = DispatchSemaphore(value: 0)
        Task(executorPreference: QueueExecutor.shared) {
            result = await body()
            done.signal()
        }
        done.wait()
        return result!
    }
}

/// Runs the harness's tasks on one serial dispatch queue.
private final class QueueExecutor: TaskExecutor {
    static let shared = QueueExecutor()
    private let queue = DispatchQueue(label: "relais-fuzz.session")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}

/// Whether the session asked to check its peer; shared by copies of a harness, which all start
/// past that point or before it.
private final class Verification: @unchecked Sendable {
    var happened = false
}

/// A node holding `changes` that takes whatever it is sent.
private struct HarnessNode: SyncDelegate {
    let changes: [Change]

    func verify(_ hello: PeerHello, noiseKey: [UInt8]) async -> PeerVerdict {
        .accept(localVector: VersionVector(), roster: nil, awaiting: [])
    }

    func loadChanges(missingFrom vector: VersionVector, for peer: DeviceID?, changesMax: Int, bytesMax: Int) async throws
        -> ChangeBatch
    {
        ChangeBatch(Array(changes.filter { !vector.contains(origin: $0.origin, sequence: $0.sequence) }.prefix(changesMax)))
    }

    func apply(_ batch: ChangeBatch) async throws -> BatchApplied {
        var vector = VersionVector()
        for change in batch.changes { vector.raise(change.origin, to: change.sequence) }
        return BatchApplied(outcomes: batch.changes.map { _ in .applied }, vector: vector)
    }

    func loadFill(of persons: [RecordID], for peer: DeviceID?, bytesMax: Int) async throws -> [Change] { [] }
    func applyFill(_ changes: [Change]) async throws {}
    func adoptRoster(_ roster: [UInt8]) async {}
    func peerHolds(_ vector: VersionVector, device: DeviceID) async {}

    func certifyKeyChange(_ request: KeyChangeRequest, peer: DeviceID) async throws -> EnrolmentGrant {
        throw Refusal(.protocolViolation, "this harness certifies nothing")
    }

    func keyChanged(_ grant: EnrolmentGrant) async {}
}
