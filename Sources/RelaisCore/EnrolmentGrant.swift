/// What a hub hands a device it enrols: its certificate, the roster, and the team key sealed to
/// the device's Noise static key.
public struct EnrolmentGrant: Hashable, Sendable {
    /// The new device's certificate.
    public let certificate: DeviceCertificate
    /// The roster that lists it.
    public let roster: Roster
    /// The team key epoch of `sealedTeamKey`.
    public let teamKeyEpoch: UInt32
    /// The team key, sealed to the device's Noise key.
    public let sealedTeamKey: [UInt8]

    /// A grant of these parts.
    public init(certificate: DeviceCertificate, roster: Roster, teamKeyEpoch: UInt32, sealedTeamKey: [UInt8]) {
        self.certificate = certificate
        self.roster = roster
        self.teamKeyEpoch = teamKeyEpoch
        self.sealedTeamKey = sealedTeamKey
    }
}

/// What a device asks to be certified for when it enrols.
public struct EnrolmentIdentity: Hashable, Sendable {
    /// The identifier the device chose.
    public let device: DeviceID
    /// The name it asks to be certified under.
    public let name: String
    /// Its Ed25519 public key.
    public let signingKey: [UInt8]

    /// The identity of a device asking to join.
    public init(device: DeviceID, name: String, signingKey: [UInt8]) {
        self.device = device
        self.name = name
        self.signingKey = signingKey
    }
}
