import RelaisCore
import RelaisStore

/// `relais status`: who this node is, what it holds, and how its peers are doing.
public struct NodeStatus: Codable, Sendable {
    public let device: String
    public let name: String
    public let team: String?
    public let role: String?
    public let certificateExpiresAt: String?
    /// Which roster and team key epoch this node holds: after a revocation or a rotation, an admin
    /// sees here whether a laptop has learnt it.
    public let rosterVersion: UInt64?
    public let teamKeyEpoch: UInt32?
    public let vector: [String: UInt64]
    public let pending: Int
    public let peers: [PeerStatus]
    public let lastSuccessfulSync: String?
    public let skewedDevices: [SkewedDevice]
    public let equivocations: [Equivocation]

    public init(replica: Replica) throws {
        let team = try replica.teamState
        let log = try replica.changeLog()
        let peers = try replica.peers()
        device = replica.keyring.device.hex
        name = replica.keyring.deviceName
        self.team = team?.team.hex
        role = team?.certificate.role.description
        certificateExpiresAt = team.flatMap { team in try? replica.devices().first { $0.isThisDevice }?.expiresAt }
        rosterVersion = team?.roster.version
        teamKeyEpoch = team?.roster.teamKeys.epoch
        vector = log.vector
        pending = log.pending
        self.peers = peers
        lastSuccessfulSync = peers.compactMap(\.lastSuccess).max()
        skewedDevices = log.skewedDevices
        equivocations = try replica.equivocations()
    }
}
