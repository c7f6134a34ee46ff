import RelaisCore
import RelaisDaemon
import RelaisStore
import RelaisSync

extension NetworkSimulation {
    /// Starts a session, as `SyncClient` and `SyncServer` do, between two nodes.
    func open(from initiator: Int, to responder: Int) async throws {
        let connection = SimulatedConnection(
            initiator: try endpoint(of: initiator, role: .initiator), responder: try endpoint(of: responder, role: .responder))
        connections.append(connection)
        statistics.sessions += 1
        try await carryOut(on: connection, side: 0) { runner, send in try await runner.start(send: send) }
    }

    private func endpoint(of index: Int, role: SyncSession.Role) throws -> SimulatedEndpoint {
        let node = nodes[index]
        let session = try SyncSession(
            role: role, staticKey: node.replica.keyring.noiseKey, localHello: SessionAdmission.hello(of: node.replica))
        return SimulatedEndpoint(node: index, runner: SessionRunner(session, port: node.port, hooks: hooks(of: node)))
    }

    /// Hands one frame (or the end of the stream) to one end of a connection.
    func deliver(_ connection: SimulatedConnection, side: Int) async throws {
        let end = connection.ends[side]
        guard !end.inbox.isEmpty else {
            try await carryOut(on: connection, side: side) { runner, send in try await runner.connectionClosed(send: send) }
            return
        }
        let frame = end.inbox.removeFirst()
        try await carryOut(on: connection, side: side) { runner, send in try await runner.receive(frame, send: send) }
    }

    /// Lets one end's runner carry out what `body` hands it, as `SessionDriver` does: the frames it
    /// sends reach the other end's inbox, unless that end is closed.
    func carryOut(
        on connection: SimulatedConnection, side: Int,
        _ body: (inout SessionRunner<LocalNode>, ([UInt8]) async throws -> Void) async throws -> SessionStep
    ) async throws {
        let end = connection.ends[side]
        let other = connection.ends[1 - side]
        var runner = end.runner
        let step = try await body(&runner) { frame in
            if !other.isClosed { other.inbox.append(frame) }
        }
        end.runner = runner
        let node = nodes[end.node]
        if await node.port.isRevoked { node.isWiped = true }
        switch step {
        case .open: break
        case .closed(let reason):
            end.isClosed = true
            end.inbox.removeAll()
            if reason == .completed && side == 0 { statistics.completed += 1 }
        case .writeFailed:
            end.isClosed = true
        }
    }

    /// Notes which changes each node took, checking on the way that no node that knows of a
    /// revocation takes a change the revoked device signed after it.
    private func hooks(of node: SimulatedNode) -> SessionHooks {
        SessionHooks(applied: { [unowned self] batch, applied in
            let known = try? node.replica.teamState?.roster
            for (change, outcome) in zip(batch.changes, applied.outcomes) where outcome == .applied || outcome == .pending {
                taken[change.origin, default: []].append(change.sequence)
                if let revocation = known?.revocation(of: change.origin), revocation.voids(sequence: change.sequence) {
                    violations.append("\(node.name) took a change \(change.origin) signed after its revocation")
                }
            }
        })
    }
}
