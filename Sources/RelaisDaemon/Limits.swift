/// Bounds and periods of the daemon, named once.
enum Limits {
    /// First and largest wait after a failed session with a peer; jitter spreads retries.
    static let backoffInitial: Duration = .seconds(1)
    static let backoffMax: Duration = .seconds(300)
    /// Default period between syncs with a configured peer when nothing changes.
    static let syncIntervalDefault: Duration = .seconds(60)
    /// Sessions a node lets exchange changes at once (`ExchangeQueue`): one applying a batch,
    /// one loading the next, so the single apply lane never idles.
    static let exchangingSessionsMax = 2
    /// How long a session keeps its exchange place before it lets the next one in.
    static let exchangeTurn: Duration = .seconds(30)
    /// Longer than NIO takes to set up a connection it accepted and hand it to the accept loop.
    static let acceptHandOver: Duration = .milliseconds(200)
    /// The serving node rereads its Hello (certificate, roster) after each change of its data, at
    /// most this often (a busy hub writes many times a second)...
    static let identityRereadSpacing: Duration = .seconds(1)
    /// ...and at least this often, for certificates that come due for renewal with time alone.
    static let identityRefreshInterval: Duration = .seconds(3_600)
    /// After a change, the report's files are read again at most this often (`ReportFilesService`).
    static let reportFilesSpacing: Duration = .seconds(5)
    /// Events a subscriber may leave untaken before they are folded into one "read everything".
    static let storeEventsQueuedMax = 1_024
}

extension Limits {
    /// How often a node announces itself on the local network.
    static let announceInterval: Duration = .seconds(3)
    /// A discovered peer is synced at most this often unless local data changed.
    static let discoveredPeerSyncInterval: Duration = .seconds(15)
    /// The organisation-local multicast group and UDP port of announcements.
    static let discoveryGroup = "239.255.77.77"
    static let discoveryPort = 7_711
}
