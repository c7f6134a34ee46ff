import RelaisCore
import RelaisStore
import RelaisSync

/// A team of 3 to 8 nodes running the real sync state machines (Noise, rosters, certificates,
/// the store) over a simulated network and clock, all drawn from one seed: sessions start and
/// interleave frame by frame, connections are cut at any frame, bytes are flipped, partitions come
/// and heal, nodes crash (also between committing a batch and acknowledging it) and restart, clocks
/// are skewed, and the admin may revoke a device that goes on writing. `heal` then lets every pair
/// sync without faults, and `check` lists every invariant broken. The same seed replays exactly.
public final class NetworkSimulation {
    var nodes: [SimulatedNode]
    var connections: [SimulatedConnection] = []
    var generator: SeededGenerator
    var step = 0
    var statistics = SimulationStatistics()
    /// Every change a local write reported as saved.
    var acknowledged: [(origin: DeviceID, sequence: UInt64)] = []
    /// Persons erased, and by which device: a revoked device's late erasures are voided.
    var erased: [String: DeviceID] = [:]
    /// The device the admin revoked, and the last of its changes that stays valid.
    var revocation: (device: DeviceID, validThrough: UInt64)?
    var violations: [String] = []
    /// The sequence numbers of each origin's changes that other nodes took (applied or held):
    /// once a device is revoked, those after its bound were taken unaware, and undone later.
    var taken: [DeviceID: [UInt64]] = [:]

    static let sessionsMax = 6

    public init(seed: UInt64) throws {
        generator = SeededGenerator(seed: seed)
        let start: UInt64 = 1_790_000_000_000
        let hubClock = ManualWallClock(milliseconds: start)
        let identifiers = SeededIdentifiers(seed: seed)
        let team = try EnrolledTeam(clock: hubClock, makeIdentifier: identifiers.next)
        nodes = [SimulatedNode(name: "hub", replica: team.hub, clock: hubClock)]
        for index in 1..<Int.random(in: 3...8, using: &generator) {
            let skew = Int64.random(in: -600_000...600_000, using: &generator)
            let clock = ManualWallClock(milliseconds: UInt64(Int64(start) + skew))
            let name = "field-\(index)"
            nodes.append(SimulatedNode(name: name, replica: try team.enrol(name, clock: clock), clock: clock))
        }
        // Enrolment was a while ago, whatever each laptop's clock says.
        for node in nodes { node.clock.advance(milliseconds: 3_600_000) }
    }

    /// Runs `steps` random events.
    public func run(steps: Int) async throws {
        for _ in 0..<steps {
            step += 1
            for node in nodes { node.clock.advance(milliseconds: UInt64.random(in: 0...3_000, using: &generator)) }
            switch Int.random(in: 0..<100, using: &generator) {
            case 0..<50: try await deliverOne()
            case 50..<62: try await startSession()
            case 62..<82: try writeSomething()
            case 82..<86: try await cutConnection()
            case 86..<88: flipByte()
            case 88..<91: repartition()
            case 91..<93: crashNode()
            case 93 where revocation == nil && Int.random(in: 0..<4, using: &generator) == 0: try revokeDevice()
            default: try await deliverOne()
            }
        }
    }

    var upNodes: [Int] { nodes.indices.filter { nodes[$0].downUntil <= step && !nodes[$0].isWiped } }

    private func deliverOne() async throws {
        let ready = connections.indices.flatMap { connection in connections[connection].readyEnds.map { (connection, $0) } }
        guard let (connection, side) = ready.randomElement(using: &generator) else { return }
        try await deliver(connections[connection], side: side)
        connections.removeAll(where: \.isOver)
    }

    private func startSession() async throws {
        guard connections.count < Self.sessionsMax else { return }
        let up = upNodes
        guard up.count >= 2 else { return }
        let initiator = up.randomElement(using: &generator)!
        let peers = up.filter { $0 != initiator && nodes[$0].partition == nodes[initiator].partition }
        guard let responder = peers.randomElement(using: &generator) else { return }
        try await open(from: initiator, to: responder)
    }

    private func cutConnection() async throws {
        guard let connection = connections.randomElement(using: &generator) else { return }
        for side in connection.ends.indices where !connection.ends[side].isClosed {
            connection.ends[side].inbox.removeAll()
            try await carryOut(on: connection, side: side) { runner, send in try await runner.connectionClosed(send: send) }
        }
        connections.removeAll(where: \.isOver)
        statistics.cuts += 1
    }

    private func flipByte() {
        let candidates = connections.flatMap { $0.ends.filter { !$0.inbox.isEmpty } }
        guard let end = candidates.randomElement(using: &generator) else { return }
        let frame = Int.random(in: end.inbox.indices, using: &generator)
        let byte = Int.random(in: end.inbox[frame].indices, using: &generator)
        end.inbox[frame][byte] ^= UInt8.random(in: 1...255, using: &generator)
        statistics.flips += 1
    }

    private func repartition() {
        let split = Bool.random(using: &generator)
        for node in nodes { node.partition = split ? Int.random(in: 0...1, using: &generator) : 0 }
        for connection in connections where nodes[connection.ends[0].node].partition != nodes[connection.ends[1].node].partition {
            for end in connection.ends { end.isClosed = true }
        }
        connections.removeAll(where: \.isOver)
        statistics.partitions += split ? 1 : 0
    }

    /// The node stops at once: its sessions vanish mid-way, and what it had sent but the network
    /// had not yet delivered may be lost with it (a batch committed, its acknowledgement never sent).
    private func crashNode() {
        guard let index = upNodes.randomElement(using: &generator) else { return }
        for connection in connections where connection.involves(index) {
            for end in connection.ends where end.node == index {
                end.isClosed = true
                end.inbox.removeAll()
            }
            if Bool.random(using: &generator) {
                for end in connection.ends where end.node != index { end.inbox.removeAll() }
            }
        }
        connections.removeAll(where: \.isOver)
        nodes[index].downUntil = step + Int.random(in: 20...100, using: &generator)
        statistics.crashes += 1
    }

    private func revokeDevice() throws {
        guard let index = nodes.indices.dropFirst().randomElement(using: &generator) else { return }
        let device = nodes[index].replica.keyring.device
        _ = try nodes[0].replica.revokeDevice(device.hex)
        revocation = (device, try nodes[0].replica.teamState!.roster.revocation(of: device)!.validThrough)
    }
}

/// What a simulation did, for RELIABILITY.md.
public struct SimulationStatistics: Sendable {
    public var sessions = 0
    public var completed = 0
    public var cuts = 0
    public var flips = 0
    public var partitions = 0
    public var crashes = 0
    public var writes = 0
    /// Void changes of a revoked device (numbered after its bound) taken by a node that did not
    /// know of the revocation yet, and undone when it learnt of it.
    public var lateChangesTakenUnaware = 0
    /// Runs whose replicas were compared in full: every run.
    public var compared = 0

    public init() {}

    public mutating func add(_ other: SimulationStatistics) {
        sessions += other.sessions
        completed += other.completed
        cuts += other.cuts
        flips += other.flips
        partitions += other.partitions
        crashes += other.crashes
        writes += other.writes
        lateChangesTakenUnaware += other.lateChangesTakenUnaware
        compared += other.compared
    }
}
