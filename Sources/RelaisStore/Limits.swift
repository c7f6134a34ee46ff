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
    /// Seconds a command waits for the database while another process writes to it.
    static let busyTimeoutSeconds = 10.0
    /// Person keys kept unwrapped in guarded memory. Each `sodium_malloc` costs memory mappings
    /// and locked pages, which the system bounds (`vm.max_map_count`, `RLIMIT_MEMLOCK`): a hub
    /// holding every person must not keep them all.
    static let personKeysCachedMax = 2_048
}
