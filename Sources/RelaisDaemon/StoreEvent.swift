import RelaisCore

/// What changed in the node's replica, as the store publishes it (`StoreEvents`).
public enum StoreEvent: Sendable, Equatable {
    /// A session applied changes from a peer: the replica now holds `vector`.
    case applied(vector: VersionVector)
    /// A session filled redacted operations: these persons' files were rebuilt.
    case filled(persons: [RecordID])
    /// A peer's roster was adopted: devices, revocations, care teams or team keys changed.
    case rosterAdopted
    /// This device learnt its own revocation and destroyed its keyring.
    case revoked
    /// A file of the data folder was written, by another process perhaps (the CLI), or a
    /// subscriber fell too far behind to be told each event: anything may have changed.
    case folderWritten
}
