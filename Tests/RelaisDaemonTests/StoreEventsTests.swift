import RelaisCore
import RelaisDaemon
import Testing

/// What the store publishes reaches every subscriber, in order, from the moment it subscribed.
@Suite struct StoreEventsTests {
    let vector = VersionVector([DeviceID(Identifier128(high: 1, low: 2)): 3])

    @Test func everySubscriberGetsEveryEventFromItsSubscriptionOn() async {
        let events = StoreEvents()
        events.publish(.rosterAdopted)
        let first = events.subscribe()
        events.publish(.applied(vector: vector))
        let second = events.subscribe()
        events.publish(.revoked)
        #expect(await first.next() == .applied(vector: vector))
        #expect(await first.next() == .revoked)
        #expect(await second.next() == .revoked)
        #expect(await second.next(until: .now + .milliseconds(50)) == nil)
    }

    @Test func aWaitEndsWithTheEventOrAtItsDeadline() async {
        let events = StoreEvents()
        let subscription = events.subscribe()
        let started = ContinuousClock.now
        #expect(await subscription.next(until: started + .milliseconds(100)) == nil)
        #expect(ContinuousClock.now - started >= .milliseconds(100))
        let publisher = Task {
            try await Task.sleep(for: .milliseconds(50))
            events.publish(.folderWritten)
        }
        // A deadline no starved thread pool reaches first: `make test` runs blocking process
        // tests beside this one, and they can hold every cooperative thread for seconds.
        #expect(await subscription.next(until: .now + .seconds(600)) == .folderWritten)
        _ = await publisher.result
    }

    @Test func aCancelledSubscriberStopsIterating() async {
        let events = StoreEvents()
        let subscription = events.subscribe()
        let reader = Task {
            var seen = 0
            for await _ in subscription { seen += 1 }
            return seen
        }
        events.publish(.rosterAdopted)
        try? await Task.sleep(for: .milliseconds(50))
        reader.cancel()
        #expect(await reader.value == 1)
    }

    @Test func aSubscriberFarBehindIsToldToReadEverythingAgain() async {
        let events = StoreEvents()
        let subscription = events.subscribe()
        for _ in 0...1_024 { events.publish(.rosterAdopted) }
        #expect(await subscription.next() == .folderWritten)
        #expect(await subscription.next(until: .now + .milliseconds(50)) == nil)
    }

    @Test func aFolderWrittenWaitingAbsorbsTheNext() async {
        let events = StoreEvents()
        let subscription = events.subscribe()
        events.publish(.folderWritten)
        events.publish(.applied(vector: vector))
        events.publish(.folderWritten)
        events.publish(.rosterAdopted)
        #expect(await subscription.next() == .folderWritten)
        #expect(await subscription.next() == .applied(vector: vector))
        #expect(await subscription.next() == .rosterAdopted)
        #expect(await subscription.next(until: .now + .milliseconds(50)) == nil)
    }
}
