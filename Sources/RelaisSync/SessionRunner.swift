import RelaisCore

/// What a session's owner adds around the node's port: admission of the peer and progress.
public struct SessionHooks {
    /// Decides on the peer's Hello; `verify` asks the port. A hub counts the peer as authenticated
    /// here and makes it wait its turn before checking it again (`SyncServer`).
    public var admit: (_ hello: PeerHello, _ verify: @Sendable () async -> PeerVerdict) async -> PeerVerdict
    /// Hears each batch loaded for the peer.
    public var loaded: (ChangeBatch) -> Void
    /// Hears each batch the port applied, with what became of each change.
    public var applied: (ChangeBatch, BatchApplied) -> Void

    /// Hooks that add nothing unless given: the port's verdict is the session's, batches go unheard.
    public init(
        admit: @escaping (PeerHello, @Sendable () async -> PeerVerdict) async -> PeerVerdict = { _, verify in await verify() },
        loaded: @escaping (ChangeBatch) -> Void = { _ in },
        applied: @escaping (ChangeBatch, BatchApplied) -> Void = { _, _ in }
    ) {
        self.admit = admit
        self.loaded = loaded
        self.applied = applied
    }
}

/// Where a session stands after its runner carried out what a frame caused.
public enum SessionStep: Equatable, Sendable {
    /// Waiting for the next frame.
    case open
    /// Over, for this reason; nothing more is to be written.
    case closed(CloseReason)
    /// A frame could not be written: the peer may have closed after a refusal still to be read
    /// (`SessionRunner.receiveAfterFailedWrite`).
    case writeFailed
}

/// The one interpreter of `SessionAction`: carries out a `SyncSession`'s actions through the node's
/// port (`SyncDelegate`) and its hooks. The TCP driver, the simulation and the fuzz harness run
/// sessions through it and differ only in how frames travel, given as `send`.
public struct SessionRunner<Port: SyncDelegate> {
    /// The session, for its statistics and state.
    public private(set) var session: SyncSession
    private let port: Port
    private let hooks: SessionHooks

    /// Runs `session` for the node behind `port`.
    public init(_ session: SyncSession, port: Port, hooks: SessionHooks = SessionHooks()) {
        self.session = session
        self.port = port
        self.hooks = hooks
    }

    /// Opens the session: the initiator's first message.
    /// - Throws: what the port threw loading changes or a fill: this node's own store failed.
    public mutating func start(send: ([UInt8]) async throws -> Void) async throws -> SessionStep {
        try await carryOut(session.start(), send: send)
    }

    /// Takes a frame from the peer and carries out what follows.
    /// - Throws: as `start`.
    public mutating func receive(_ frame: [UInt8], send: ([UInt8]) async throws -> Void) async throws -> SessionStep {
        try await carryOut(session.receive(frame), send: send)
    }

    /// The peer closed the connection.
    /// - Throws: as `start`.
    public mutating func connectionClosed(send: ([UInt8]) async throws -> Void) async throws -> SessionStep {
        try await carryOut(session.connectionClosed(), send: send)
    }

    /// After a failed write, takes a frame the peer sent before it closed: a refusal (and the
    /// roster explaining it) is still heard; nil while the session goes on.
    public mutating func receiveAfterFailedWrite(_ frame: [UInt8]) async -> CloseReason? {
        for action in session.receiveAfterFailedWrite(frame) {
            switch action {
            case .adoptRoster(let roster): await port.adoptRoster(roster)
            case .close(let reason): return reason
            default: continue
            }
        }
        return nil
    }

    private mutating func carryOut(_ actions: [SessionAction], send: ([UInt8]) async throws -> Void) async throws -> SessionStep {
        var pending = actions[...]
        while let action = pending.popFirst() {
            switch action {
            case .send(let frame):
                do { try await send(frame) } catch { return .writeFailed }
            case .verifyPeer(let hello, let noiseKey):
                let port = port
                switch await hooks.admit(hello, { await port.verify(hello, noiseKey: noiseKey) }) {
                case .accept(let vector, let roster, let awaiting, let heads):
                    pending += session.peerAccepted(localVector: vector, roster: roster, awaiting: awaiting, heads: heads)
                case .refuse(let refusal, let roster): pending += session.peerRefused(refusal, roster: roster)
                }
            case .loadChanges(let vector, let peer, let changesMax, let bytesMax):
                let batch = try await port.loadChanges(missingFrom: vector, for: peer, changesMax: changesMax, bytesMax: bytesMax)
                hooks.loaded(batch)
                pending += session.changesLoaded(batch)
            case .applyChanges(let batch):
                do {
                    let applied = try await port.apply(batch)
                    hooks.applied(batch, applied)
                    pending += session.changesApplied(vector: applied.vector)
                } catch {
                    pending += session.applyFailed(reason: "\(error)")
                }
            case .loadFill(let persons, let peer, let bytesMax):
                pending += session.fillLoaded(try await port.loadFill(of: persons, for: peer, bytesMax: bytesMax))
            case .applyFill(let changes):
                // A fill that does not match is ignored change by change, inside: what throws
                // here is this node's own store, and the session says so rather than go on.
                do {
                    try await port.applyFill(changes)
                    pending += session.fillApplied()
                } catch {
                    pending += session.storeFailed(reason: "this node could not store the fill: \(error)")
                }
            case .adoptRoster(let roster):
                await port.adoptRoster(roster)
            case .peerHolds(let device, let vector):
                await port.peerHolds(vector, device: device)
            case .compareHeads(let heads, let peer):
                await port.compareHeads(heads, peer: peer)
            case .certifyKeyChange(let request, let peer):
                do {
                    pending += session.keyChangeCertified(try await port.certifyKeyChange(request, peer: peer))
                } catch {
                    pending += session.keyChangeRefused(reason: "\(error)")
                }
            case .keyChanged(let grant):
                await port.keyChanged(grant)
            case .close(let reason):
                return .closed(reason)
            }
        }
        return .open
    }
}
