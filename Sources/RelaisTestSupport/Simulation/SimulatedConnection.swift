import RelaisDaemon
import RelaisSync

/// One end of a simulated TCP connection: the runner of its session and the frames that reached
/// it, in order.
final class SimulatedEndpoint {
    let node: Int
    var runner: SessionRunner<LocalNode>
    var inbox: [[UInt8]] = []
    /// The session ended here (or the node crashed): nothing more is read or written.
    var isClosed = false

    init(node: Int, runner: SessionRunner<LocalNode>) {
        self.node = node
        self.runner = runner
    }
}

/// A connection between two nodes: the initiator's end, then the responder's.
final class SimulatedConnection {
    let ends: [SimulatedEndpoint]

    init(initiator: SimulatedEndpoint, responder: SimulatedEndpoint) { ends = [initiator, responder] }

    var isOver: Bool { ends.allSatisfy(\.isClosed) }

    func involves(_ node: Int) -> Bool { ends.contains { $0.node == node } }

    /// Ends that have something to act on: a frame to read, or the end of a stream whose other end closed.
    var readyEnds: [Int] {
        ends.indices.filter { !ends[$0].isClosed && (!ends[$0].inbox.isEmpty || ends[1 - $0].isClosed) }
    }
}
