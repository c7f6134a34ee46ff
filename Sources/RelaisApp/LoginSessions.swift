import Foundation
import RelaisCrypto
import Synchronization

/// The browser sessions of the app: a random cookie per session, its CSRF token, whether the
/// passphrase unlocked it, when it was last used, and the opaque names its pages give records.
/// In memory only: a restarted daemon asks for the passphrase again.
final class LoginSessions: Sendable {
    struct Session: Sendable {
        let csrf: String
        var unlocked: Bool
        var lastSeen: ContinuousClock.Instant
        /// Opaque names of records, valid for this session only: a path in the browser's history
        /// names nothing once the session ends.
        var handles: [String: String] = [:]
        var handleOf: [String: String] = [:]
    }

    private struct State {
        var sessions: [String: Session] = [:]
        var failures = 0
        var nextAttempt = ContinuousClock.now
        /// A passphrase is being checked: the next waits for its verdict, so that guesses sent
        /// all at once cannot each pass the wait before any failure is counted.
        var checking = false
    }

    private let state = Mutex(State())

    /// A new session, not yet unlocked; returns its cookie value.
    func open() -> String {
        let cookie = Self.token()
        state.withLock { state in
            state.sessions = state.sessions.filter { ContinuousClock.now - $0.value.lastSeen < Limits.idleLock }
            // Any program on the laptop may ask for the login page: the least recently used
            // sessions make room, the locked ones first, so that no flood can close a mediator's.
            let surplus = state.sessions.count + 1 - Limits.sessionsMax
            if surplus > 0 {
                let evicted = state.sessions.sorted {
                    ($0.value.unlocked ? 1 : 0, $0.value.lastSeen) < ($1.value.unlocked ? 1 : 0, $1.value.lastSeen)
                }
                for (old, _) in evicted.prefix(surplus) { state.sessions[old] = nil }
            }
            state.sessions[cookie] = Session(csrf: Self.token(), unlocked: false, lastSeen: .now)
        }
        return cookie
    }

    /// The session of `cookie`, marked used now; nil when unknown or idle past `Limits.idleLock`.
    func session(_ cookie: String?) -> Session? {
        guard let cookie else { return nil }
        return state.withLock { state in
            guard var session = state.sessions[cookie] else { return nil }
            guard ContinuousClock.now - session.lastSeen < Limits.idleLock else {
                state.sessions[cookie] = nil
                return nil
            }
            session.lastSeen = .now
            state.sessions[cookie] = session
            return session
        }
    }

    /// Replaces the session of `cookie` by an unlocked one under a new cookie (so that a cookie
    /// planted before the login is worth nothing after it); returns the new cookie.
    func unlock(_ cookie: String) -> String {
        let fresh = Self.token()
        state.withLock { state in
            state.sessions[cookie] = nil
            state.sessions[fresh] = Session(csrf: Self.token(), unlocked: true, lastSeen: .now)
        }
        return fresh
    }

    func close(_ cookie: String) { state.withLock { _ = $0.sessions.removeValue(forKey: cookie) } }

    /// Takes the right to check one passphrase now: nil when granted (end it with `endAttempt`),
    /// otherwise how long to wait.
    func beginAttempt() -> Duration? {
        state.withLock { state in
            if state.checking { return Limits.attemptDelay }
            let wait = state.nextAttempt - .now
            guard wait <= .zero else { return wait }
            state.checking = true
            return nil
        }
    }

    /// Ends the check `beginAttempt` granted: after `Limits.freeAttempts` wrong passphrases, each
    /// further try waits twice as long as the one before.
    func endAttempt(accepted: Bool) {
        state.withLock { state in
            state.checking = false
            guard !accepted else { return state.failures = 0 }
            state.failures += 1
            let excess = state.failures - Limits.freeAttempts
            guard excess > 0 else { return }
            state.nextAttempt = .now + min(Limits.attemptDelayMax, Limits.attemptDelay * (1 << min(excess - 1, 16)))
        }
    }

    /// The opaque name of `record` in the session of `cookie`, made on first use.
    func handle(of record: String, in cookie: String) -> String {
        state.withLock { state in
            if let handle = state.sessions[cookie]?.handleOf[record] { return handle }
            let handle = Self.token()
            state.sessions[cookie]?.handles[handle] = record
            state.sessions[cookie]?.handleOf[record] = handle
            return handle
        }
    }

    /// The record an opaque name stands for in the session of `cookie`.
    func record(_ handle: String, in cookie: String) -> String? {
        state.withLock { $0.sessions[cookie]?.handles[handle] }
    }

    private static func token() -> String {
        RandomBytes.make(count: 18).map { String(format: "%02x", $0) }.joined()
    }
}
