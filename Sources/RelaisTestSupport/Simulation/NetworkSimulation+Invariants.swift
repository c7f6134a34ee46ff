import RelaisCore
import RelaisStore

extension NetworkSimulation {
    /// Faults stop: every node comes back, partitions heal, and every node syncs with the hub in
    /// turn (each session runs both ways) until a whole round moves nothing.
    public func heal() async throws {
        for node in nodes {
            node.downUntil = 0
            node.partition = 0
        }
        for connection in connections { for end in connection.ends { end.isClosed = true } }
        connections.removeAll()
        for _ in 0..<8 {
            let before = try nodes.map { try $0.replica.versionVector }
            for laptop in nodes.indices.dropFirst() where !nodes[laptop].isWiped {
                try await open(from: laptop, to: 0)
                try await runToEnd(connections.last!)
                connections.removeAll()
            }
            let after = try nodes.map { try $0.replica.versionVector }
            let running = nodes.indices.filter { !nodes[$0].isWiped }
            if after == before || Set(running.map { after[$0] }).count == 1 { return }
        }
        violations.append("the team did not settle after 8 rounds of full syncs")
    }

    private func runToEnd(_ connection: SimulatedConnection) async throws {
        for _ in 0..<100_000 {
            guard let side = connection.readyEnds.first else { break }
            try await deliver(connection, side: side)
        }
        if !connection.isOver { violations.append("a session between healthy nodes never ended") }
    }

    /// Every invariant broken, in words; empty when the run was sound.
    public func check() throws -> [String] {
        var broken = violations
        let honest = nodes.filter { !$0.isWiped && $0.replica.keyring.device != revocation?.device }
        if let revocation, let revoked = nodes.first(where: { $0.replica.keyring.device == revocation.device }),
            !revoked.isWiped
        {
            broken.append("the revoked \(revoked.name) met its peers and did not wipe itself")
        }
        let snapshots = try honest.map { try $0.replica.snapshot() }
        if let revocation {
            statistics.lateChangesTakenUnaware =
                taken[revocation.device, default: []].filter {
                    $0 > revocation.validThrough
                }.count
        }
        statistics.compared = 1
        let (vector, conflicts) = (try honest[0].replica.versionVector, try honest[0].replica.conflicts())
        for (node, snapshot) in zip(honest, snapshots).dropFirst() {
            if try node.replica.versionVector != vector {
                broken.append("\(node.name) and \(honest[0].name) hold different changes")
            }
            if snapshot != snapshots[0] { broken.append("\(node.name) and \(honest[0].name) show different files") }
            if try node.replica.conflicts() != conflicts {
                broken.append("\(node.name) and \(honest[0].name) show different conflicts")
            }
        }
        let erasedForGood = Set(erased.filter { $0.value != revocation?.device }.keys)
        for (node, snapshot) in zip(honest, snapshots) {
            let vector = try node.replica.versionVector
            let lost = acknowledged.filter {
                $0.origin != revocation?.device && !vector.contains(origin: $0.origin, sequence: $0.sequence)
            }
            if !lost.isEmpty {
                let which = lost.map { change in
                    "\(nodes.first { $0.replica.keyring.device == change.origin }?.name ?? "?")#\(change.sequence)"
                }
                broken.append("\(node.name) lacks \(which.joined(separator: ", ")), which a mediator was told were saved")
            }
            if try node.replica.changeLog().pending > 0 { broken.append("\(node.name) has changes waiting for predecessors") }
            let back = snapshot.filter {
                erasedForGood.contains($0.id) || !erasedForGood.isDisjoint(with: $0.mergedFrom)
            }
            if !back.isEmpty { broken.append("\(node.name) shows \(back.count) erased person(s) again") }
        }
        return broken
    }

    public var summary: SimulationStatistics { statistics }

    /// What the run ended with, to check that a seed replays exactly.
    public var fingerprint: String {
        get throws {
            try nodes.map { node in
                "\(node.name) \(node.isWiped) "
                    + (try node.replica.versionVector.sortedEntries.map { "\($0.origin):\($0.sequence)" })
                    .joined(separator: ",")
            }.joined(separator: "\n") + "\n\(statistics)"
        }
    }
    public var nodeCount: Int { nodes.count }
}
