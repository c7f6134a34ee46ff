import RelaisCore
import RelaisStore

/// One device of a simulated team: its replica, its own (possibly wrong) clock, and whether it
/// is running.
final class SimulatedNode {
    let name: String
    let replica: Replica
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
    }
}

/// Device, team and record ids drawn from a seed, so that a simulation, whose choices depend on
/// the order of ids, replays exactly.
final class SeededIdentifiers: @unchecked Sendable {
    private var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed ^ 0x1D5) }

    func next() -> Identifier128 { Identifier128(high: generator.next(), low: generator.next()) }
}
