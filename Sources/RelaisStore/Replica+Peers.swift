import RelaisCore

/// A peer as `relais status` shows it.
public struct PeerStatus: Codable, Hashable, Sendable {
    public let address: String
    public let device: String?
    public let lastAttempt: String?
    public let lastSuccess: String?
    public let lastError: String
    public let changesSent: Int
    public let changesReceived: Int
}

extension Replica {
    /// Records the outcome of a session with the peer at `address`.
    public func recordSession(
        address: String, device: DeviceID?, succeeded: Bool, error: String, changesSent: Int, changesReceived: Int
    ) throws(StoreError) {
        let now = wallClock()
        try write { db in
            try PeerLedger.recordSession(
                address: address, device: device, succeeded: succeeded, error: error, changesSent: changesSent,
                changesReceived: changesReceived, at: now, db)
        }
    }

    /// Every peer this node synced with or tried to, by address.
    public func peers() throws(StoreError) -> [PeerStatus] { try read(PeerLedger.peers) }

    /// Remembers the vector a device said it holds, to prepare bundles for it.
    public func rememberVector(_ vector: VersionVector, of device: DeviceID) throws(StoreError) {
        try write { db in
            try PeerLedger.remember(vector, of: device, db)
            // A hub may now hold what a purge had to keep.
            try SQLiteReplicaStorage(db).finishPurges()
        }
    }

    /// The vector `device` last said it holds; empty if it never met this node.
    public func knownVector(of device: DeviceID) throws(StoreError) -> VersionVector {
        try read { db in try PeerLedger.vector(of: device, db) ?? VersionVector() }
    }
}
