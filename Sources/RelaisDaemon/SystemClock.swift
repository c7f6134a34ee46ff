import Foundation
import RelaisCore

/// The machine's clock, which every service of the process reads through (the store never reads
/// a clock itself: it is given this one). `RELAIS_CLOCK_OFFSET_SECONDS` moves it, for drills and
/// tests of what weeks offline do to certificates, without waiting weeks. (A laptop's clock is
/// its user's to set anyway; peers bound how far ahead they follow it.)
public enum SystemClock {
    /// The time now, moved by the offset.
    @Sendable public static func now() -> WallTime {
        let offset = Double((try? offset.get()) ?? 0) * 1_000
        return WallTime(milliseconds: UInt64(max(0, Date().timeIntervalSince1970 * 1_000 + offset)))
    }

    /// The offset `RELAIS_CLOCK_OFFSET_SECONDS` names, 0 when unset; a value that is not a whole
    /// number of seconds is an error the CLI reports before doing anything.
    public static let offset: Result<Int64, DaemonError> = {
        guard let text = ProcessInfo.processInfo.environment["RELAIS_CLOCK_OFFSET_SECONDS"] else { return .success(0) }
        guard let seconds = Int64(text), abs(seconds) < 100 * 365 * 86_400 else {
            return .failure(.badConfig("RELAIS_CLOCK_OFFSET_SECONDS must be a whole number of seconds, not '\(text.prefix(40))'"))
        }
        return .success(seconds)
    }()
}
