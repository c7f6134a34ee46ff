/// A hybrid logical timestamp: 48 bits of wall-clock milliseconds, then a 16-bit counter.
public struct HLCTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Milliseconds since 1970 in the high 48 bits, the logical counter in the low 16.
    public let rawValue: UInt64

    /// The timestamp encoded as `rawValue`.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// The timestamp of `milliseconds` since 1970 and `counter`.
    public init(milliseconds: UInt64, counter: UInt64) {
        precondition(counter <= Limits.clockCounterMax, "the counter has 16 bits")
        self.rawValue = milliseconds << 16 | counter
    }

    /// Before every write.
    public static let zero = HLCTimestamp(rawValue: 0)

    /// Its wall-clock part, in milliseconds since 1970.
    public var milliseconds: UInt64 { rawValue >> 16 }
    /// Its logical part, which orders writes within one millisecond.
    public var counter: UInt64 { rawValue & Limits.clockCounterMax }
    /// `milliseconds.counter`, for logs.
    public var description: String { "\(milliseconds).\(counter)" }

    /// Orders by time, then counter.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Wall-clock time as the caller read it: RelaisCore never reads a clock itself.
public struct WallTime: Hashable, Comparable, Sendable {
    /// Milliseconds since 1970.
    public let milliseconds: UInt64

    /// The time `milliseconds` after 1970.
    public init(milliseconds: UInt64) { self.milliseconds = milliseconds }

    /// Orders by time.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.milliseconds < rhs.milliseconds }

    /// This time moved `duration` later, to the millisecond (never before 1970).
    public static func + (time: Self, duration: Duration) -> Self {
        let milliseconds = duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000
        return Self(
            milliseconds: milliseconds < 0
                ? time.milliseconds - min(time.milliseconds, UInt64(-milliseconds)) : time.milliseconds + UInt64(milliseconds))
    }
}
