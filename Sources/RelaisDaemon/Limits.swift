/// Bounds and periods of the daemon, named once.
enum Limits {
    /// How often the daemon looks for local writes (by the CLI, another process) to push.
    static let localChangePollInterval: Duration = .seconds(1)
    /// First and largest wait after a failed session with a peer; jitter spreads retries.
    static let backoffInitial: Duration = .seconds(1)
    static let backoffMax: Duration = .seconds(300)
    /// Default period between syncs with a configured peer when nothing changes.
    static let syncIntervalDefault: Duration = .seconds(60)
}
