import RelaisDaemon
import Synchronization
import Testing

@Suite struct ConnectionAdmissionTests {
    /// Records which connections the admission closed.
    final class Closed: Sendable {
        let ids = Mutex<[Int]>([])
        func closer(_ id: Int) -> @Sendable () -> Void { { self.ids.withLock { $0.append(id) } } }
        var all: [Int] { ids.withLock { $0 } }
    }

    /// A clock the test moves.
    final class Clock: Sendable {
        private let instant = Mutex(ContinuousClock.now)
        func advance(_ duration: Duration) { instant.withLock { $0 += duration } }
        var read: @Sendable () -> ContinuousClock.Instant { { self.instant.withLock { $0 } } }
    }

    func admission(connections: Int, handshakes: Int, clock: Clock = Clock()) -> ConnectionAdmission {
        ConnectionAdmission(
            connectionsMax: connections, handshakesMax: handshakes, evictableAfter: .seconds(2), now: clock.read)
    }

    @Test func aFullHubMakesRoomByClosingTheOldestDawdlingHandshake() throws {
        let closed = Closed()
        let clock = Clock()
        let admission = admission(connections: 3, handshakes: 3, clock: clock)
        let first = try #require(admission.admit(close: closed.closer(1)))
        _ = try #require(admission.admit(close: closed.closer(2)))
        admission.authenticated(first)
        _ = try #require(admission.admit(close: closed.closer(3)))
        #expect(admission.admit(close: closed.closer(4)) == nil, "handshakes in progress are not pushed out")
        clock.advance(.seconds(3))
        _ = try #require(admission.admit(close: closed.closer(5)), "a new connection gets in")
        #expect(closed.all == [2], "the oldest handshake made room, not the connection past its handshake")
    }

    @Test func authenticatedSessionsAreNeverEvictedAndAFullHubOfThemRefuses() throws {
        let closed = Closed()
        let clock = Clock()
        let admission = admission(connections: 2, handshakes: 2, clock: clock)
        for id in 1...2 { admission.authenticated(try #require(admission.admit(close: closed.closer(id)))) }
        clock.advance(.seconds(60))
        #expect(admission.admit(close: closed.closer(3)) == nil)
        #expect(closed.all.isEmpty)
    }

    @Test func handshakesAreCappedBelowTheConnectionLimit() throws {
        let closed = Closed()
        let clock = Clock()
        let admission = admission(connections: 10, handshakes: 2, clock: clock)
        for id in 1...2 { _ = try #require(admission.admit(close: closed.closer(id))) }
        clock.advance(.seconds(2))
        for id in 3...4 { _ = try #require(admission.admit(close: closed.closer(id))) }
        #expect(admission.admit(close: closed.closer(5)) == nil, "3 and 4 have just started")
        #expect(closed.all == [1, 2])
    }

    @Test func aReleasedConnectionFreesItsPlaceAndIsNotClosedAgain() throws {
        let closed = Closed()
        let clock = Clock()
        let admission = admission(connections: 1, handshakes: 1, clock: clock)
        let first = try #require(admission.admit(close: closed.closer(1)))
        admission.release(first)
        _ = try #require(admission.admit(close: closed.closer(2)))
        #expect(closed.all.isEmpty)
        admission.authenticated(first)
        admission.release(first)
        clock.advance(.seconds(2))
        #expect(admission.admit(close: closed.closer(3)) != nil, "releasing twice or late changes nothing")
        #expect(closed.all == [2])
    }
}
