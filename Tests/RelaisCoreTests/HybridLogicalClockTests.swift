import PropertyBased
import RelaisCore
import Testing

@Suite struct HybridLogicalClockTests {
    @Test func tickFollowsTheWallClock() {
        var clock = HybridLogicalClock()
        let first = clock.tick(wallTime: WallTime(milliseconds: 5_000))
        #expect(first == HLCTimestamp(milliseconds: 5_000, counter: 0))
        #expect(clock.tick(wallTime: WallTime(milliseconds: 6_000)) == HLCTimestamp(milliseconds: 6_000, counter: 0))
    }

    @Test func aBackwardWallClockJumpNeverMovesTheClockBack() {
        var clock = HybridLogicalClock()
        let before = clock.tick(wallTime: WallTime(milliseconds: 10_000))
        let after = clock.tick(wallTime: WallTime(milliseconds: 2_000))
        #expect(after > before)
        #expect(after == HLCTimestamp(milliseconds: 10_000, counter: 1))
    }

    @Test func aRestoredClockStaysAheadOfWhatItPersisted() {
        let persisted = HLCTimestamp(milliseconds: 50_000, counter: 7)
        var clock = HybridLogicalClock(restoring: persisted)
        #expect(clock.tick(wallTime: WallTime(milliseconds: 1_000)) > persisted)
    }

    @Test func theCounterOverflowsIntoTheNextMillisecond() {
        var clock = HybridLogicalClock(restoring: HLCTimestamp(milliseconds: 9, counter: Limits.clockCounterMax))
        #expect(clock.tick(wallTime: WallTime(milliseconds: 1)) == HLCTimestamp(milliseconds: 10, counter: 0))
    }

    @Test func aRemoteClockWithinTheDriftIsFollowed() {
        var clock = HybridLogicalClock()
        let remote = HLCTimestamp(milliseconds: 1_030_000, counter: 4)
        #expect(clock.observe(remote, wallTime: WallTime(milliseconds: 1_000_000)) == .followed)
        #expect(clock.last > remote)
    }

    @Test func aRemoteClockFarInTheFutureIsNotFollowed() {
        var clock = HybridLogicalClock()
        let wall = WallTime(milliseconds: 1_000_000)
        let driftMilliseconds = UInt64(Limits.clockDriftMax.components.seconds) * 1_000
        let remote = HLCTimestamp(milliseconds: wall.milliseconds + driftMilliseconds + 1, counter: 0)
        #expect(clock.observe(remote, wallTime: wall) == .skewed(aheadMilliseconds: driftMilliseconds + 1))
        #expect(clock.last == .zero)
        #expect(clock.tick(wallTime: wall).milliseconds == wall.milliseconds)
    }

    @Test func theClockIsMonotonicUnderAnySequenceOfEvents() async {
        let events = Gen.int(in: 0...2_000_000).array(of: 1...60)
        await propertyCheck(input: events) { times in
            var clock = HybridLogicalClock()
            var previous = HLCTimestamp.zero
            for (index, time) in times.enumerated() {
                let wall = WallTime(milliseconds: UInt64(time))
                if index % 3 == 0 {
                    _ = clock.observe(HLCTimestamp(milliseconds: UInt64(time) + 500, counter: 3), wallTime: wall)
                } else {
                    _ = clock.tick(wallTime: wall)
                }
                #expect(clock.last > previous)
                previous = clock.last
            }
        }
    }
}
