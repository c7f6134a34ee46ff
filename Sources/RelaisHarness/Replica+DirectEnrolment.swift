import RelaisCore
import RelaisCrypto
import RelaisStore

extension Replica {
    /// What an enrolment session does on the hub, without the network: an invite for `keyring`'s
    /// device, then its grant.
    public func enrolDirectly(_ keyring: Keyring) throws -> EnrolmentGrant {
        let token = try createInvite(role: .field, name: keyring.deviceName, validFor: .seconds(3_600))
        return try enrol(
            tokenID: try Replica.parseToken(token).id,
            identity: EnrolmentIdentity(device: keyring.device, name: keyring.deviceName, signingKey: keyring.signingPublicKey),
            noiseKey: keyring.noiseKey.publicKey)
    }
}
