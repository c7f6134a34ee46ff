import RelaisCore

/// A wall clock tests set by hand, to simulate wrong and jumping laptop clocks.
public final class ManualWallClock: @unchecked Sendable {
    public var now: WallTime

    public init(milliseconds: UInt64 = 1_790_000_000_000) { now = WallTime(milliseconds: milliseconds) }

    public func advance(milliseconds: UInt64) { now = WallTime(milliseconds: now.milliseconds + milliseconds) }

    public func read() -> WallTime { now }
}
