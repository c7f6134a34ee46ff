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

    @Test func aFullHubMakesRoomByClosingTheOldestUnauthenticatedConnection() throws {
        let closed = Closed()
        let admission = ConnectionAdmission(connectionsMax: 3, handshakesMax: 3)
        let first = try #require(admission.admit(close: closed.closer(1)))
        let second = try #require(admission.admit(close: closed.closer(2)))
        admission.authenticated(first)
        _ = try #require(admission.admit(close: closed.closer(3)))
        #expect(closed.all.isEmpty)
        _ = try #require(admission.admit(close: closed.closer(4)), "a new connection still gets in")
        #expect(closed.all == [2], "the oldest one still in its handshake made room, not the authenticated one")
        _ = second
    }

    @Test func authenticatedSessionsAreNeverEvictedAndAFullHubOfThemRefuses() throws {
        let closed = Closed()
        let admission = ConnectionAdmission(connectionsMax: 2, handshakesMax: 2)
        for id in 1...2 { admission.authenticated(try #require(admission.admit(close: closed.closer(id)))) }
        #expect(admission.admit(close: closed.closer(3)) == nil)
        #expect(closed.all.isEmpty)
    }

    @Test func handshakesAreCappedBelowTheConnectionLimit() throws {
        let closed = Closed()
        let admission = ConnectionAdmission(connectionsMax: 10, handshakesMax: 2)
        for id in 1...4 { _ = try #require(admission.admit(close: closed.closer(id))) }
        #expect(closed.all == [1, 2])
    }

    @Test func aReleasedConnectionFreesItsPlaceAndIsNotClosedAgain() throws {
        let closed = Closed()
        let admission = ConnectionAdmission(connectionsMax: 1, handshakesMax: 1)
        let first = try #require(admission.admit(close: closed.closer(1)))
        admission.release(first)
        _ = try #require(admission.admit(close: closed.closer(2)))
        #expect(closed.all.isEmpty)
        admission.authenticated(first)
        admission.release(first)
        #expect(admission.admit(close: closed.closer(3)) != nil, "releasing twice or late changes nothing")
        #expect(closed.all == [2])
    }
}
