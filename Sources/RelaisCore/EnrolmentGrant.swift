/// What a hub hands a device it enrols: its certificate, the roster, and the team key sealed to
/// the device's Noise static key.
public struct EnrolmentGrant: Hashable, Sendable {
    public let certificate: DeviceCertificate
    public let roster: Roster
    public let teamKeyEpoch: UInt32
    public let sealedTeamKey: [UInt8]

    public init(certificate: DeviceCertificate, roster: Roster, teamKeyEpoch: UInt32, sealedTeamKey: [UInt8]) {
        self.certificate = certificate
        self.roster = roster
        self.teamKeyEpoch = teamKeyEpoch
        self.sealedTeamKey = sealedTeamKey
    }
}

/// What a device asks to be certified for when it enrols.
public struct EnrolmentIdentity: Hashable, Sendable {
    public let device: DeviceID
    public let name: String
    public let signingKey: [UInt8]

    public init(device: DeviceID, name: String, signingKey: [UInt8]) {
        self.device = device
        self.name = name
        self.signingKey = signingKey
    }
}
