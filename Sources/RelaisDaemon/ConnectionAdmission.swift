import Synchronization

/// Which connections a node serves, so that floods and slow-loris clients cannot starve honest
/// peers. Connections past their handshake are bounded by `connectionsMax` and never pushed out;
/// connections still in their handshake are bounded by `handshakesMax`, and when there is no room,
/// the oldest of them is closed to admit the newcomer if it has been at it for `evictableAfter`:
/// an honest handshake takes a second at most even over a poor link, so that one dawdles (it would
/// be cut by the handshake timeout anyway). Otherwise the newcomer is refused: a flood of new
/// connections must not push out honest handshakes in progress.
public final class ConnectionAdmission: Sendable {
    /// One admitted connection.
    public struct Ticket: Hashable, Sendable {
        fileprivate let id: UInt64
    }

    private struct State {
        var nextID: UInt64 = 0
        /// Oldest first.
        var handshaking: [(ticket: Ticket, since: ContinuousClock.Instant, close: @Sendable () -> Void)] = []
        var authenticated: Set<Ticket> = []
    }

    private let connectionsMax: Int
    private let handshakesMax: Int
    private let evictableAfter: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let state = Mutex(State())

    public init(
        connectionsMax: Int, handshakesMax: Int, evictableAfter: Duration,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        precondition(handshakesMax >= 1 && handshakesMax <= connectionsMax, "1 ≤ handshakes ≤ connections")
        self.connectionsMax = connectionsMax
        self.handshakesMax = handshakesMax
        self.evictableAfter = evictableAfter
        self.now = now
    }

    /// Admits a new connection, closing the oldest one still in its handshake if that makes room.
    /// - Parameter close: closes this connection, should it be pushed out later.
    /// - Returns: nil when there is no room and no handshake has dawdled: refuse it as busy.
    public func admit(close: @escaping @Sendable () -> Void) -> Ticket? {
        let now = now()
        let (ticket, evicted): (Ticket?, (@Sendable () -> Void)?) = state.withLock { state in
            let full = state.handshaking.count + state.authenticated.count >= connectionsMax
            var evicted: (@Sendable () -> Void)?
            if full || state.handshaking.count >= handshakesMax {
                guard let oldest = state.handshaking.first, now - oldest.since >= evictableAfter else { return (nil, nil) }
                evicted = state.handshaking.removeFirst().close
            }
            state.nextID += 1
            let ticket = Ticket(id: state.nextID)
            state.handshaking.append((ticket, now, close))
            return (ticket, evicted)
        }
        evicted?()
        return ticket
    }

    /// The connection's handshake is done: it keeps its place until it ends.
    public func authenticated(_ ticket: Ticket) {
        state.withLock { state in
            guard let index = state.handshaking.firstIndex(where: { $0.ticket == ticket }) else { return }
            state.handshaking.remove(at: index)
            state.authenticated.insert(ticket)
        }
    }

    /// The connection ended.
    public func release(_ ticket: Ticket) {
        state.withLock { state in
            state.handshaking.removeAll { $0.ticket == ticket }
            state.authenticated.remove(ticket)
        }
    }
}
