import Logging
import NIOCore
import Synchronization
import RelaisCore
import RelaisCrypto
import RelaisStore
import RelaisSync
import RelaisTransport

/// Accepts sessions: sync with enrolled devices and, on an admin hub, enrolments.
///
/// A bad peer only ever closes its own session: every failure ends in that session's close
/// reason, logged, and the accept loop goes on.
public struct SyncServer: Sendable {
    let node: LocalNode
    let logger: Logger
    private let admission = ConnectionAdmission(
        connectionsMax: RelaisSync.Limits.sessionsMax, handshakesMax: RelaisSync.Limits.handshakesMax,
        evictableAfter: RelaisSync.Limits.handshakeDawdling)
    private let exchanges = ExchangeQueue(lanes: Limits.exchangingSessionsMax)

    public init(node: LocalNode, logger: Logger) {
        self.node = node
        self.logger = logger
    }

    /// Serves until cancelled.
    ///
    /// Cancelling the task that takes accepted connections would drop those NIO already queued
    /// for it, and NIO traps on a connection dropped unclosed (swift-nio#2637). So cancellation
    /// stops accepting, leaves NIO a moment to hand over the connections it was setting up, then
    /// closes the listener; the accept loop, which is not cancelled, closes what it was handed
    /// and ends.
    public func serve(_ listener: NIOAsyncChannel<FrameChannel, Never>, onSession: @escaping @Sendable () -> Void = {})
        async throws
    {
        let accepting = Task { try await accept(listener, onSession: onSession) }
        try await withTaskCancellationHandler {
            try await accepting.value
        } onCancel: {
            let channel = listener.channel
            channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in
                channel.eventLoop.scheduleTask(in: TimeAmount(Limits.acceptHandOver)) {
                    channel.close(promise: nil)
                }
            }
        }
    }

    private func accept(_ listener: NIOAsyncChannel<FrameChannel, Never>, onSession: @escaping @Sendable () -> Void)
        async throws
    {
        try await listener.executeThenClose { connections in
            let identity = NodeIdentity(try await NodeIdentity.read(from: node))
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask {
                    // The Hello follows the node's roster and keyring (a roster adopted here, a
                    // renewal, a rotation by the CLI), and its clock: certificates come due for
                    // renewal with no write at all. Changes applied leave it as it is.
                    let events = node.events.subscribe()
                    while !Task.isCancelled {
                        do { identity.current = try await NodeIdentity.read(from: node) } catch {
                            logger.error("cannot read the team state", metadata: ["error": "\(error)"])
                        }
                        let deadline = ContinuousClock.now + Limits.identityRefreshInterval
                        while let event = await events.next(until: deadline) {
                            if event == .rosterAdopted || event == .folderWritten { break }
                        }
                        try await Task.sleep(for: Limits.identityRereadSpacing)
                    }
                }
                for try await connection in connections {
                    guard listener.channel.isActive else {
                        await turnAway(connection)
                        continue
                    }
                    let channel = connection.channel
                    guard let ticket = admission.admit(close: { channel.close(promise: nil) }) else {
                        logger.warning(
                            "session refused: too many sessions", metadata: ["limit": "\(RelaisSync.Limits.sessionsMax)"])
                        await turnAway(connection)
                        continue
                    }
                    group.addTask {
                        let peer = AdmittedPeer(
                            node: node, ticket: ticket, admission: admission, lane: ExchangeLane(queue: exchanges))
                        await handle(connection, identity: identity.current, peer: peer)
                        peer.lane.leave()
                        admission.release(ticket)
                        onSession()
                    }
                }
                group.cancelAll()
            }
        }
    }

    /// Closes a connection no session will use, the one way NIO accepts.
    private func turnAway(_ connection: FrameChannel) async {
        try? await connection.executeThenClose { _, _ in }
    }

    private func handle(_ connection: FrameChannel, identity: NodeIdentity.Snapshot, peer: AdmittedPeer) async {
        let remote = connection.channel.remoteAddress?.description ?? "unknown"
        let served = await SessionDriver.serve(
            connection, port: node, hooks: peer.hooks, enrolment: peer, staticKey: identity.noiseKey, hello: identity.hello)
        switch served {
        case .sync(let reason, let statistics):
            if reason == .completed, let device = peer.lane.peer {
                NodeMetrics.lastSync(with: device, at: SystemClock.now())
                // Kept under the device, not its address: a laptop calls from a new port each
                // time, often from a new address. Only completed sessions: a peer's failures are
                // the peer's to report, and an unauthenticated caller writes nothing here.
                await node.recordSession(
                    address: "from device \(device)", device: device, reason: reason, statistics: statistics)
            } else {
                NodeMetrics.session(ended: reason)
            }
            log(
                reason, remote: remote,
                metadata: ["sent": "\(statistics.changesSent)", "received": "\(statistics.changesReceived)"])
        case .enrolment(let reason):
            NodeMetrics.session(ended: reason)
            log(reason, remote: remote, metadata: ["kind": "enrolment"])
        case .refused(let reason):
            logger.notice("session closed", metadata: ["peer": "\(remote)", "reason": "\(reason)"])
        }
    }

    private func log(_ reason: CloseReason, remote: String, metadata: Logger.Metadata) {
        var metadata = metadata
        metadata["peer"] = "\(remote)"
        metadata["reason"] = "\(reason)"
        if reason == .completed {
            logger.info("session completed", metadata: metadata)
        } else if case .refusedPeer(let refusal) = reason, refusal.code == .protocolViolation {
            // An authenticated peer breaking the protocol (an enrolment under a taken id, say):
            // an admin should look at it.
            logger.warning("session refused", metadata: metadata)
        } else {
            logger.notice("session closed", metadata: metadata)
        }
    }
}

/// The node, as one admitted connection sees it. A peer that completed its Noise handshake (it
/// proved a static key and sent its Hello), or an enrolment that got past its pre-shared key,
/// keeps its place: on a busy hub the node may take a while to check the certificate, and an
/// honest peer must not be pushed out meanwhile. A peer the node then refuses is closed at once.
private struct AdmittedPeer: EnrolmentDelegate {
    let node: LocalNode
    let ticket: ConnectionAdmission.Ticket
    let admission: ConnectionAdmission
    let lane: ExchangeLane

    /// An accepted peer waits for an exchange lane, then is checked again: the vector it gets
    /// is the one after the sessions served before it, and a revocation learnt meanwhile holds.
    var hooks: SessionHooks {
        SessionHooks(admit: { [admission, ticket, lane] hello, verify in
            admission.authenticated(ticket)
            let verdict = await verify()
            guard case .accept = verdict else { return verdict }
            lane.peer = hello.certificate?.device
            await lane.enter()
            return await verify()
        })
    }

    func preSharedKey(tokenID: [UInt8]) async -> Result<SecureBytes, Refusal> { await node.preSharedKey(tokenID: tokenID) }

    func enrol(tokenID: [UInt8], identity: EnrolmentIdentity, noiseKey: [UInt8]) async throws -> EnrolmentGrant {
        admission.authenticated(ticket)
        return try await node.enrol(tokenID: tokenID, identity: identity, noiseKey: noiseKey)
    }
}

/// One connection's place in the `ExchangeQueue`, taken once and given back once, and who the
/// session turned out to be with. A session gives its place up after `Limits.exchangeTurn` even
/// if it goes on: a stalled or slow peer cannot hold the others back for good.
private final class ExchangeLane: Sendable {
    private struct State {
        var isHeld = false
        var peer: DeviceID?
    }

    private let queue: ExchangeQueue
    private let state = Mutex(State())

    init(queue: ExchangeQueue) { self.queue = queue }

    var peer: DeviceID? {
        get { state.withLock { $0.peer } }
        set { state.withLock { $0.peer = newValue } }
    }

    func enter() async {
        await queue.enter()
        state.withLock { $0.isHeld = true }
        Task {
            try? await Task.sleep(for: Limits.exchangeTurn)
            self.leave()
        }
    }

    func leave() {
        let wasHeld = state.withLock { state in
            defer { state.isHeld = false }
            return state.isHeld
        }
        if wasHeld { queue.leave() }
    }
}

/// The node's Hello and Noise key, read off the node every second: a hub busy applying other
/// sessions' batches must not keep a new connection waiting for them while it holds a handshake
/// place (it would be pushed out as dawdling). A Hello a second old is harmless: the roster a
/// peer needs is sent by its own message, decided when the node checks the peer.
private final class NodeIdentity: Sendable {
    struct Snapshot: Sendable {
        let hello: PeerHello
        let noiseKey: X25519KeyPair
    }

    private let snapshot: Mutex<Snapshot>

    init(_ first: Snapshot) { snapshot = Mutex(first) }

    var current: Snapshot {
        get { snapshot.withLock { $0 } }
        set { snapshot.withLock { $0 = newValue } }
    }

    static func read(from node: LocalNode) async throws -> Snapshot {
        Snapshot(hello: try await node.hello(), noiseKey: await node.noiseKey)
    }
}
