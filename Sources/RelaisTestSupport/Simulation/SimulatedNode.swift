import RelaisCore
import RelaisDaemon
import RelaisStore

/// One device of a simulated team: its replica, the production node over it that sessions reach
/// (`LocalNode`), its own (possibly wrong) clock, and whether it is running.
final class SimulatedNode {
    let name: String
    let replica: Replica
    let port: LocalNode
    let clock: ManualWallClock
    /// A crashed node is down until this step.
    var downUntil = 0
    /// It learnt its own revocation and destroyed its keys.
    var isWiped = false
    /// Nodes talk only within the same partition.
    var partition = 0

    init(name: String, replica: Replica, clock: ManualWallClock) {
        self.name = name
        self.replica = replica
        self.clock = clock
        // The simulation runs on one task: the node and the simulation never use the replica at
        // the same time, so the node may share it.
        nonisolated(unsafe) let shared = replica
        port = LocalNode(replica: shared, wallClock: { clock.now })
    }
}

/// Device, team and record ids drawn from a seed, so that a simulation, whose choices depend on
/// the order of ids, replays exactly.
final class SeededIdentifiers: @unchecked Sendable {
    private var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed ^ 0x1D5) }

    func next() -> Identifier128 { Identifier128(high: generator.next(), low: generator.next()) }
}
