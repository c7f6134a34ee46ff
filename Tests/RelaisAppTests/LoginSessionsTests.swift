@testable import RelaisApp
import Testing

/// The passphrase checks of the app's login: one at a time, and slower after wrong ones.
@Suite struct LoginSessionsTests {
    @Test func guessesSentTogetherWaitForTheOneBeingChecked() {
        let sessions = LoginSessions()
        #expect(sessions.beginAttempt() == nil)
        for _ in 0..<10 { #expect(sessions.beginAttempt() != nil, "a second check ran beside the first") }
        sessions.endAttempt(accepted: true)
        #expect(sessions.beginAttempt() == nil)
    }

    @Test func afterTheFreeTriesEachWrongPassphraseWaitsLonger() {
        let sessions = LoginSessions()
        for _ in 0..<Limits.freeAttempts {
            #expect(sessions.beginAttempt() == nil)
            sessions.endAttempt(accepted: false)
        }
        #expect(sessions.beginAttempt() == nil)
        sessions.endAttempt(accepted: false)
        let wait = sessions.beginAttempt()
        #expect(wait != nil && wait! > Limits.attemptDelay / 2 && wait! <= Limits.attemptDelay)
    }

    @Test func aFloodOfLoginPagesEvictsLockedSessionsButNotAnOpenOne() {
        let sessions = LoginSessions()
        let mine = sessions.unlock(sessions.open())
        let first = sessions.open()
        for _ in 0..<Limits.sessionsMax { _ = sessions.open() }
        #expect(sessions.session(first) == nil, "sessions are not bounded")
        #expect(sessions.session(mine)?.unlocked == true)
    }

    @Test func anOpaqueNameLeadsToItsRecordInItsSessionOnly() {
        let sessions = LoginSessions()
        let mine = sessions.unlock(sessions.open())
        let other = sessions.unlock(sessions.open())
        let handle = sessions.handle(of: "3f9a2c", in: mine)
        #expect(sessions.handle(of: "3f9a2c", in: mine) == handle)
        #expect(sessions.record(handle, in: mine) == "3f9a2c")
        #expect(sessions.record(handle, in: other) == nil)
        sessions.close(mine)
        #expect(sessions.record(handle, in: mine) == nil)
    }
}
