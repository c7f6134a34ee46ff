import RelaisCore
import RelaisDaemon

/// A wall clock tests set by hand, to simulate wrong and jumping laptop clocks.
public final class ManualWallClock: @unchecked Sendable {
    public var now: WallTime

    public init(milliseconds: UInt64 = 1_790_000_000_000) { now = WallTime(milliseconds: milliseconds) }

    public func advance(milliseconds: UInt64) { now = WallTime(milliseconds: now.milliseconds + milliseconds) }

    public func read() -> WallTime { now }
}

/// The clock a test gives a replica when the time does not matter to it: the machine's.
public enum TestClock {
    public static let machine: @Sendable () -> WallTime = SystemClock.now
}
