import Synchronization

/// Which connections a node serves, so that floods and slow-loris clients cannot starve honest
/// peers. Authenticated sessions are bounded by `connectionsMax` and never pushed out; connections
/// still in their handshake are bounded by `handshakesMax`, and when there is no room, the oldest
/// of them is closed to admit the newcomer: an honest handshake takes milliseconds, so the oldest
/// is one that dawdles (it would be cut by the handshake timeout anyway).
public final class ConnectionAdmission: Sendable {
    /// One admitted connection.
    public struct Ticket: Hashable, Sendable {
        fileprivate let id: UInt64
    }

    private struct State {
        var nextID: UInt64 = 0
        /// Oldest first.
        var handshaking: [(ticket: Ticket, close: @Sendable () -> Void)] = []
        var authenticated: Set<Ticket> = []
    }

    private let connectionsMax: Int
    private let handshakesMax: Int
    private let state = Mutex(State())

    public init(connectionsMax: Int, handshakesMax: Int) {
        precondition(handshakesMax >= 1 && handshakesMax <= connectionsMax, "1 ≤ handshakes ≤ connections")
        self.connectionsMax = connectionsMax
        self.handshakesMax = handshakesMax
    }

    /// Admits a new connection, closing the oldest unauthenticated one if that makes room.
    /// - Parameter close: closes this connection, should it be pushed out later.
    /// - Returns: nil when every place is held by an authenticated session: refuse it as busy.
    public func admit(close: @escaping @Sendable () -> Void) -> Ticket? {
        let (ticket, evicted): (Ticket?, (@Sendable () -> Void)?) = state.withLock { state in
            let full = state.handshaking.count + state.authenticated.count >= connectionsMax
            var evicted: (@Sendable () -> Void)?
            if full || state.handshaking.count >= handshakesMax {
                guard !state.handshaking.isEmpty else { return (nil, nil) }
                evicted = state.handshaking.removeFirst().close
            }
            state.nextID += 1
            let ticket = Ticket(id: state.nextID)
            state.handshaking.append((ticket, close))
            return (ticket, evicted)
        }
        evicted?()
        return ticket
    }

    /// The connection's peer proved who it is: it keeps its place until it ends.
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
