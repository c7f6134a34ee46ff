import RelaisCore
import RelaisDaemon
import RelaisStore
import RelaisSync

extension NetworkSimulation {
    /// Starts a session, as `SyncClient` and `SyncServer` do, between two nodes.
    func open(from initiator: Int, to responder: Int) throws {
        let connection = SimulatedConnection(
            initiator: SimulatedEndpoint(node: initiator, session: try session(of: initiator, role: .initiator)),
            responder: SimulatedEndpoint(node: responder, session: try session(of: responder, role: .responder)))
        connections.append(connection)
        statistics.sessions += 1
        try perform(connection.ends[0].session.start(), on: connection, side: 0)
    }

    private func session(of index: Int, role: SyncSession.Role) throws -> SyncSession {
        let replica = nodes[index].replica
        return try SyncSession(role: role, staticKey: replica.keyring.noiseKey, localHello: SessionAdmission.hello(of: replica))
    }

    /// Hands one frame (or the end of the stream) to one end of a connection.
    func deliver(_ connection: SimulatedConnection, side: Int) throws {
        let end = connection.ends[side]
        guard !end.inbox.isEmpty else {
            try perform(end.session.connectionClosed(), on: connection, side: side)
            return
        }
        let frame = end.inbox.removeFirst()
        try perform(end.session.receive(frame), on: connection, side: side)
    }

    /// Carries out a session's actions the way `SessionDriver` and `LocalNode` do.
    func perform(_ actions: [SessionAction], on connection: SimulatedConnection, side: Int) throws {
        let end = connection.ends[side]
        let node = nodes[end.node]
        for action in actions {
            switch action {
            case .send(let frame):
                if !connection.ends[1 - side].isClosed { connection.ends[1 - side].inbox.append(frame) }
            case .verifyPeer(let hello, let noiseKey):
                let actions: [SessionAction]
                switch try SessionAdmission.verdict(on: hello, noiseKey: noiseKey, replica: node.replica, now: node.clock.now) {
                case .accept(let vector, let roster, let awaiting, let heads):
                    actions = end.session.peerAccepted(localVector: vector, roster: roster, awaiting: awaiting, heads: heads)
                case .refuse(let refusal, let roster): actions = end.session.peerRefused(refusal, roster: roster)
                }
                try perform(actions, on: connection, side: side)
            case .loadChanges(let vector, let peer, let changesMax, let bytesMax):
                let batch = try node.replica.batch(
                    missingFrom: vector, for: node.replica.scopeReader(of: peer), changesMax: changesMax, bytesMax: bytesMax)
                try perform(end.session.changesLoaded(batch), on: connection, side: side)
            case .loadFill(let persons, let peer, let bytesMax):
                let changes = try node.replica.fillChanges(
                    of: persons, for: node.replica.scopeReader(of: peer), bytesMax: bytesMax)
                try perform(end.session.fillLoaded(changes), on: connection, side: side)
            case .applyFill(let changes):
                try node.replica.fill(changes)
                try perform(end.session.fillApplied(), on: connection, side: side)
            case .applyChanges(let batch):
                try perform(apply(batch, node: node, end: end), on: connection, side: side)
            case .adoptRoster(let roster):
                if try node.replica.adoptRoster(roster) == .revokedThisDevice { node.isWiped = true }
            case .compareHeads(let heads, let peer):
                try node.replica.compareHeads(heads, peer: peer)
            case .peerHolds, .keyChanged:
                break
            case .certifyKeyChange:
                try perform(end.session.keyChangeRefused(reason: "no key changes in simulations"), on: connection, side: side)
            case .close(let reason):
                end.isClosed = true
                end.inbox.removeAll()
                if reason == .completed && side == 0 { statistics.completed += 1 }
            }
        }
    }

    /// Applies a batch like `LocalNode`, checking on the way that no node that knows of a
    /// revocation takes a change the revoked device signed after it.
    private func apply(_ batch: ChangeBatch, node: SimulatedNode, end: SimulatedEndpoint) throws -> [SessionAction] {
        let known = try node.replica.teamState!.roster
        do {
            try node.replica.adoptClosures(batch.closures)
        } catch {
            return end.session.applyFailed(reason: "\(error)")
        }
        for change in batch.changes {
            let outcome: ApplyOutcome
            do {
                outcome = try node.replica.apply(remote: change)
            } catch {
                return end.session.applyFailed(reason: "\(error)")
            }
            guard outcome == .applied || outcome == .pending else { continue }
            taken[change.origin, default: []].append(change.sequence)
            if let revocation = known.revocation(of: change.origin), revocation.voids(sequence: change.sequence) {
                violations.append("\(node.name) took a change \(change.origin) signed after its revocation")
            }
        }
        return end.session.changesApplied(vector: try node.replica.versionVector)
    }
}
