import Synchronization

/// Wakes whoever waits for the node's data to change: a session applied changes or a fill, the
/// roster moved, or a file of the data folder was written (the CLI, in another process). It says
/// only that something may have changed; a waiter reads what it needs to know.
public final class ChangeSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// How many signals were sent so far: a waiter compares it with the one it last saw.
    public var generation: UInt64 { state.withLock { $0.generation } }

    /// Something may have changed: every waiter wakes.
    public func signal() {
        let woken = state.withLock { state in
            state.generation += 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Returns once a signal comes after generation `seen`, at `deadline` if one is given, or
    /// when the task is cancelled, whichever is first.
    public func wait(after seen: UInt64, until deadline: ContinuousClock.Instant? = nil) async {
        guard let deadline else { return await next(after: seen) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(until: deadline) }
            group.addTask { await self.next(after: seen) }
            await group.next()
            group.cancelAll()
        }
    }

    private func next(after seen: UInt64) async {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let waiting = state.withLock { state in
                    guard state.generation == seen, !Task.isCancelled else { return false }
                    state.waiters[id] = continuation
                    return true
                }
                if !waiting { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
