import RelaisCore
import RelaisCrypto

/// The team's verbs (`TeamService`), as the CLI, the daemon and the tests call them.
extension Replica {
    public var teamState: TeamState? {
        get throws(StoreError) { try team.teamState }
    }

    /// Makes this node the admin and hub of a new team; the persons it already holds become the team's.
    /// - Throws: `StoreError.invalidWrite` when the node already belongs to a team.
    public func createTeam() throws(StoreError) -> TeamState { try team.createTeam() }

    /// A one-time enrolment token: `<token id>-<secret>`, 64 + 128 bits, single use, expiring.
    /// - Throws: `StoreError.invalidWrite` unless this node holds the team's admin key.
    public func createInvite(role: DeviceCertificate.Role, name: String, validFor: Duration) throws(StoreError) -> String {
        try team.createInvite(role: role, name: name, validFor: validFor)
    }

    /// Splits a token into the id the hub looks up and the pre-shared key both sides derive.
    /// - Throws: `StoreError.invalidWrite` for text that is not a token.
    public static func parseToken(_ token: String) throws(StoreError) -> (id: [UInt8], preSharedKey: SecureBytes) {
        try TeamService.parseToken(token)
    }

    /// The pre-shared key of an unused, unexpired invite.
    /// - Throws: `StoreError.unusableInvite` naming why the invite cannot be used.
    public func invitePreSharedKey(tokenID: [UInt8]) throws(StoreError) -> SecureBytes {
        try team.invitePreSharedKey(tokenID: tokenID)
    }

    /// Certifies a device enrolling with an invite (`TeamService.enrol`).
    /// - Throws: `StoreError.unusableInvite` when the invite is unknown, used or expired,
    ///   `StoreError.deviceIDTaken` for an id the team knows.
    public func enrol(tokenID: [UInt8], identity: EnrolmentIdentity, noiseKey: [UInt8]) throws(StoreError) -> EnrolmentGrant {
        try team.enrol(tokenID: tokenID, identity: identity, noiseKey: noiseKey)
    }

    /// Joins the team of a grant received from its hub.
    /// - Throws: `StoreError.invalidWrite` for a grant that does not verify or is not for this device.
    public func join(_ grant: EnrolmentGrant) throws(StoreError) { try team.join(grant) }

    /// Adopts a roster from a peer if it is newer and signed by this team's admin key; one that
    /// revokes this very device destroys its keyring on the spot.
    @discardableResult
    public func adoptRoster(_ bytes: [UInt8]) throws(StoreError) -> RosterAdoption { try team.adoptRoster(bytes) }

    /// Takes a device back (`TeamService.revokeDevice`).
    /// - Throws: `StoreError.invalidWrite` unless this is the admin node and the id names another device.
    public func revokeDevice(_ id: String) throws(StoreError) -> DeviceCertificate { try team.revokeDevice(id) }

    /// The devices of the roster, for `relais admin devices`.
    public func devices() throws(StoreError) -> [DeviceListing] { try team.devices() }

    /// Puts a device in exactly these care teams (none: it holds only the organisation's persons).
    /// - Throws: `StoreError.invalidWrite` unless this is the admin node and the id names a device.
    public func assignCareTeams(_ id: String, _ teams: Set<CareTeam>) throws(StoreError) -> DeviceCertificate {
        try team.assignCareTeams(id, teams)
    }

    /// On the admin node, renews the certificates coming due (`TeamService.renewDueCertificates`).
    /// - Returns: the devices whose certificates were renewed.
    @discardableResult
    public func renewDueCertificates() throws(StoreError) -> [DeviceID] { try team.renewDueCertificates() }

    /// Replaces the admin key (`TeamService.rotateAdminKey`).
    /// - Throws: `StoreError.invalidWrite` unless this is the admin node.
    public func rotateAdminKey() throws(StoreError) -> AdminKeyRotation { try team.rotateAdminKey() }

    /// Starts a new team key epoch (`TeamService.rotateTeamKey`).
    /// - Throws: `StoreError.invalidWrite` unless this is the team's admin node.
    public func rotateTeamKey() throws(StoreError) -> TeamKeyRotation { try team.rotateTeamKey() }

    /// This device's request for new keys, signed by its current key.
    public func keyChangeRequest() throws(StoreError) -> KeyChangeRequest { try team.keyChangeRequest() }

    /// Whether this node holds the team's admin key.
    public var isAdminNode: Bool { team.isAdminNode }

    /// On the admin node: a new identity for this node, certified by its own admin key.
    public func changeOwnKeys() throws(StoreError) -> DeviceCertificate { try team.changeOwnKeys() }

    /// On the admin node: certifies a device's new identity (`TeamService.certifyKeyChange`).
    public func certifyKeyChange(_ request: KeyChangeRequest, from peer: DeviceID) throws(StoreError) -> EnrolmentGrant {
        try team.certifyKeyChange(request, from: peer)
    }

    /// Takes the admin's answer to this device's key change (`TeamService.completeKeyChange`).
    public func completeKeyChange(_ grant: EnrolmentGrant) throws(StoreError) { try team.completeKeyChange(grant) }
}
