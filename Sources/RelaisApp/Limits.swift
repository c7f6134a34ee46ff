/// The app's bounds and durations, each named once.
enum Limits {
    /// A session left alone this long is locked: a shared laptop left open in a day centre.
    static let idleLock: Duration = .seconds(15 * 60)
    /// Browser sessions held at once: a few per laptop in use, far more than a mediator opens.
    static let sessionsMax = 64
    /// Wrong passphrases allowed before each further try must wait.
    static let freeAttempts = 3
    /// The wait after the first wrong passphrase beyond the free ones; it doubles after each.
    static let attemptDelay: Duration = .seconds(2)
    static let attemptDelayMax: Duration = .seconds(5 * 60)
    /// The largest form the app reads.
    static let formBytesMax = 64 * 1_024
    /// Search results shown at once; more on demand.
    static let searchPage = 20
    /// How long the replica must stay still before the day's tasks are computed again.
    static let tasksSettle: Duration = .seconds(2)
    /// How long an invitation made from the app stays valid: read out the same day.
    static let invitationValidity: Duration = .seconds(24 * 3_600)
    /// Tasks shown in each list of Aujourd'hui, the soonest first.
    static let tasksShown = 10
}
