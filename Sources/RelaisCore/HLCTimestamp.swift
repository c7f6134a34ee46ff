/// A hybrid logical timestamp: 48 bits of wall-clock milliseconds, then a 16-bit counter.
public struct HLCTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public init(milliseconds: UInt64, counter: UInt64) {
        precondition(counter <= Limits.clockCounterMax, "the counter has 16 bits")
        self.rawValue = milliseconds << 16 | counter
    }

    public static let zero = HLCTimestamp(rawValue: 0)

    public var milliseconds: UInt64 { rawValue >> 16 }
    public var counter: UInt64 { rawValue & Limits.clockCounterMax }
    public var description: String { "\(milliseconds).\(counter)" }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Wall-clock time as the caller read it: RelaisCore never reads a clock itself.
public struct WallTime: Hashable, Comparable, Sendable {
    public let milliseconds: UInt64

    public init(milliseconds: UInt64) { self.milliseconds = milliseconds }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.milliseconds < rhs.milliseconds }

    /// This time moved `duration` later, to the millisecond (never before 1970).
    public static func + (time: Self, duration: Duration) -> Self {
        let milliseconds = duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000
        return Self(
            milliseconds: milliseconds < 0
                ? time.milliseconds - min(time.milliseconds, UInt64(-milliseconds)) : time.milliseconds + UInt64(milliseconds))
    }
}
