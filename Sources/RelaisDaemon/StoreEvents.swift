import Synchronization

/// Hands every `StoreEvent` to every subscriber. A subscriber subscribes before it reads the
/// state it follows, so that nothing happening in between escapes it; events wait in its queue
/// until it takes them (a `.folderWritten` already waiting absorbs the next), and a queue that grows past `Limits.storeEventsQueuedMax` is replaced by
/// one `.folderWritten` (read everything again).
public final class StoreEvents: Sendable {
    private struct Weak {
        weak var subscription: StoreSubscription?
    }

    private let subscribers = Mutex<[Weak]>([])

    public init() {}

    /// A subscription receiving every event published from now on, until it is released.
    public func subscribe() -> StoreSubscription {
        let subscription = StoreSubscription()
        subscribers.withLock { $0.append(Weak(subscription: subscription)) }
        return subscription
    }

    public func publish(_ event: StoreEvent) {
        let live = subscribers.withLock { subscribers in
            subscribers.removeAll { $0.subscription == nil }
            return subscribers.compactMap(\.subscription)
        }
        for subscription in live { subscription.deliver(event) }
    }
}

/// One subscriber's queue of events: an `AsyncSequence` that ends when its task is cancelled.
public final class StoreSubscription: Sendable, AsyncSequence, AsyncIteratorProtocol {
    private struct State {
        var queued: [StoreEvent] = []
        var waiter: CheckedContinuation<StoreEvent?, Never>?
    }

    private let state = Mutex(State())

    fileprivate init() {}

    fileprivate func deliver(_ event: StoreEvent) {
        let waiter = state.withLock { state -> CheckedContinuation<StoreEvent?, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            // A `.folderWritten` waiting already covers this one: it is read after both writes.
            if event == .folderWritten, state.queued.contains(.folderWritten) { return nil }
            state.queued.append(event)
            if state.queued.count > Limits.storeEventsQueuedMax { state.queued = [.folderWritten] }
            return nil
        }
        waiter?.resume(returning: event)
    }

    public func makeAsyncIterator() -> StoreSubscription { self }

    /// The next event; nil once the task is cancelled.
    public func next() async -> StoreEvent? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let event = state.withLock { state -> StoreEvent?? in
                    if !state.queued.isEmpty { return .some(state.queued.removeFirst()) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let event { continuation.resume(returning: event) }
            }
        } onCancel: {
            state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }?.resume(returning: nil)
        }
    }

    /// The next event, or nil at `deadline` or once the task is cancelled, whichever is first.
    public func next(until deadline: ContinuousClock.Instant) async -> StoreEvent? {
        await withTaskGroup(of: StoreEvent?.self) { group in
            group.addTask {
                try? await Task.sleep(until: deadline)
                return nil
            }
            group.addTask { await self.next() }
            let first = await group.next() ?? nil
            group.cancelAll()
            // An event taken as the deadline struck is not lost.
            var taken = first
            for await event in group where taken == nil { taken = event }
            return taken
        }
    }
}
