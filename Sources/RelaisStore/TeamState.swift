import RelaisCore

/// What a node knows of its team: the roster it holds, the admin key that signs rosters and
/// certificates, and its own certificate.
public struct TeamState: Sendable {
    public let team: TeamID
    public let roster: Roster
    public let adminKey: [UInt8]
    public let certificate: DeviceCertificate

    public init(team: TeamID, roster: Roster, adminKey: [UInt8], certificate: DeviceCertificate) {
        self.team = team
        self.roster = roster
        self.adminKey = adminKey
        self.certificate = certificate
    }
}

/// What adopting a peer's roster did.
public enum RosterAdoption: Sendable {
    case ignored
    case adopted
    case revokedThisDevice
}

/// A device as `relais admin devices` lists it.
public struct DeviceListing: Codable, Hashable, Sendable {
    public let device: String
    public let name: String
    public let role: String
    public let issuedAt: String
    public let expiresAt: String
    public let revokedAt: String?
    /// The device id that replaced this one when it changed its keys.
    public let replacedBy: String?
    /// Its care teams; empty: it holds only the organisation's persons (a hub holds all).
    public let careTeams: [String]
    public let isThisDevice: Bool
}
