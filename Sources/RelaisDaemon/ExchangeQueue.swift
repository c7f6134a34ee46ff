import Synchronization

/// How many accepted sessions exchange changes at once; the others wait, in arrival order.
///
/// A node applies one batch at a time: when every session exchanges at once, their batches
/// interleave and each session takes about as long as all of them together. Served a few at a
/// time, sessions finish one after another. A waiting peer is authenticated and kept alive by
/// keep-alive frames (SPEC.md §7), so it does not time out meanwhile.
public final class ExchangeQueue: Sendable {
    private struct State {
        var active = 0
        var waiting: [(id: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
        var nextID: UInt64 = 0
    }

    private let lanes: Int
    private let state = Mutex(State())

    public init(lanes: Int) {
        precondition(lanes > 0, "at least one session must be able to exchange")
        self.lanes = lanes
    }

    /// Waits for a lane; every `enter` is matched by one `leave`.
    public func enter() async {
        let id = state.withLock { state -> UInt64? in
            guard state.active >= lanes else {
                state.active += 1
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return }
        await withCheckedContinuation { continuation in
            let admitted = state.withLock { state -> Bool in
                // A lane may have freed between the check and now.
                guard state.active >= lanes else {
                    state.active += 1
                    return true
                }
                state.waiting.append((id, continuation))
                return false
            }
            if admitted { continuation.resume() }
        }
    }

    /// Frees a lane, handing it to the longest waiting session.
    public func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.active -= 1
                return nil
            }
            return state.waiting.removeFirst().continuation
        }
        next?.resume()
    }

    /// Sessions exchanging now, and waiting.
    public var load: (active: Int, waiting: Int) { state.withLock { ($0.active, $0.waiting.count) } }
}
