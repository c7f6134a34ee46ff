/// Bounds RelaisStore enforces, named once.
enum Limits {
    /// Characters of a name word kept in the blind search index; longer queries are checked
    /// against the decrypted names.
    static let searchPrefixCharactersMax = 12
    /// Bytes of a key file; it must hold at least a 256-bit secret.
    static let keyFileBytesMin = 32
    static let keyFileBytesMax = 4_096
    /// Bytes of a passphrase read from a file or the environment.
    static let passphraseBytesMax = 1_024
    /// How long a command waits for the database while another process writes to it.
    static let busyTimeout: Duration = .seconds(10)
    /// Person keys kept unwrapped in guarded memory. Each `sodium_malloc` costs memory mappings
    /// and locked pages, which the system bounds (`vm.max_map_count`, `RLIMIT_MEMLOCK`): a hub
    /// holding every person must not keep them all.
    static let personKeysCachedMax = 2_048
    /// Certificates are valid this long; sessions with the admin node renew them (`renewIfDue`).
    static let certificateLifetime: Duration = .seconds(90 * 24 * 3_600)
    /// Certificates are renewed once less than this is left of them: a laptop that meets the hub,
    /// or a laptop that met it, once a month never sees its certificate expire.
    static let certificateRenewalWindow: Duration = .seconds(30 * 24 * 3_600)
    /// Changes in one bundle file: a USB key carries weeks of a team's work, not a whole hub.
    static let bundleChangesMax = 1_000_000
    /// Report files read, or kept, per transaction: a writer holds the database a few
    /// milliseconds for each batch, so sync's writes never wait long behind them.
    static let keptFilesBatch = 1_000
}
