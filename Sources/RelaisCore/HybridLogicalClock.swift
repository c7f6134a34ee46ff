/// A hybrid logical clock that never goes backwards, whatever the wall clock does.
///
/// Restored from the last timestamp a replica persisted, it stays monotonic across restarts and
/// backward wall-clock jumps. A remote timestamp further ahead than `Limits.clockDriftMax` is not
/// followed: the change is still accepted, but our clock keeps its own pace and the caller is told
/// how far ahead the peer was, so status can show the skewed device.
public struct HybridLogicalClock: Sendable {
    /// The latest timestamp issued or received.
    public private(set) var last: HLCTimestamp

    /// A clock that issues only timestamps after `last` (restored from the store).
    public init(restoring last: HLCTimestamp = .zero) { self.last = last }

    /// A timestamp for a local change, later than every timestamp seen so far.
    public mutating func tick(wallTime: WallTime) -> HLCTimestamp {
        advance(to: max(last.milliseconds, wallTime.milliseconds), past: last)
    }

    /// Folds in a remote timestamp, unless it is implausibly far ahead of our wall clock.
    public mutating func observe(_ remote: HLCTimestamp, wallTime: WallTime) -> ClockObservation {
        if remote.milliseconds > (wallTime + Limits.clockDriftMax).milliseconds {
            return .skewed(aheadMilliseconds: remote.milliseconds - wallTime.milliseconds)
        }
        let newest = max(last, remote)
        let milliseconds = max(newest.milliseconds, wallTime.milliseconds)
        _ = advance(to: milliseconds, past: newest)
        return .followed
    }

    private mutating func advance(to milliseconds: UInt64, past newest: HLCTimestamp) -> HLCTimestamp {
        if milliseconds > newest.milliseconds {
            last = HLCTimestamp(milliseconds: milliseconds, counter: 0)
        } else if newest.counter < Limits.clockCounterMax {
            last = HLCTimestamp(milliseconds: newest.milliseconds, counter: newest.counter + 1)
        } else {
            last = HLCTimestamp(milliseconds: newest.milliseconds + 1, counter: 0)
        }
        precondition(last > newest, "the clock moved backwards")
        return last
    }
}

/// What observing a remote timestamp did to the local clock.
public enum ClockObservation: Hashable, Sendable {
    case followed
    /// The remote clock was this far ahead of our wall clock; we did not follow it.
    case skewed(aheadMilliseconds: UInt64)
}
