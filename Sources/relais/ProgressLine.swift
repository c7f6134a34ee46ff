import Foundation
import Synchronization

/// A progress line on standard error for transfers that last more than a second, rewritten at
/// most twice a second, only on a terminal.
final class ProgressLine: Sendable {
    private let started = ContinuousClock.now
    private let state = Mutex((shownAt: ContinuousClock.Instant?.none, isShown: false))
    private let isTerminal = isatty(STDERR_FILENO) == 1

    func show(_ text: String) {
        guard isTerminal, ContinuousClock.now - started > Limits.progressLineDelay else { return }
        let due = state.withLock { state in
            if let shownAt = state.shownAt, ContinuousClock.now - shownAt < Limits.progressLineInterval { return false }
            state = (ContinuousClock.now, true)
            return true
        }
        if due { FileHandle.standardError.write(Data("\r\(text)\u{1B}[K".utf8)) }
    }

    func finish() {
        if state.withLock({ $0.isShown }) { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
