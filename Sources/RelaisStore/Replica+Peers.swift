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
}
