import RelaisCore
import RelaisCrypto

extension TeamService {
    /// This device's request for new keys, signed by its current key. The new identity is made,
    /// and sealed in the keyring, the first time, then reused until the admin certifies it, so a
    /// key change cut short is simply asked for again.
    /// - Throws: `StoreError.invalidWrite` for a device outside a team, or the admin node (whose
    ///   certificate the admin key itself signs).
    func keyChangeRequest() throws(StoreError) -> KeyChangeRequest {
        guard keyring.adminKey == nil else {
            throw .invalidWrite("the admin node changes its device keys by itself: run 'relais rotate-device-key' without --hub")
        }
        return try signedKeyChangeRequest()
    }

    /// Whether this node holds the team's admin key.
    var isAdminNode: Bool { keyring.adminKey != nil }

    /// On the admin node: a new identity for this node, certified by its own admin key; the old
    /// one is retired as any device's would be (a hub restored from a backup needs this too).
    func changeOwnKeys() throws(StoreError) -> DeviceCertificate {
        guard keyring.adminKey != nil else {
            throw .invalidWrite("only the admin node certifies its own keys: give the admin node with --hub")
        }
        let grant = try certifyKeyChange(try signedKeyChangeRequest(), from: keyring.device)
        try completeKeyChange(grant)
        return grant.certificate
    }

    private func signedKeyChangeRequest() throws(StoreError) -> KeyChangeRequest {
        guard let team = try teamState else { throw .invalidWrite("this device belongs to no team yet") }
        if keyring.pendingIdentity == nil { try keys.replace(with: keyring.pending(.generate())) }
        let pending = keyring.pendingIdentity!
        let request = KeyChangeRequest(
            team: team.team, device: keyring.device, successor: pending.device, signingKey: pending.signingKey.publicKey,
            noiseKey: pending.noiseKey.publicKey, signature: [])
        return request.signed(keyring.signingKey.sign(request.signedBytes))
    }

    /// On the admin node: certifies the new identity a device asked for, retires its old
    /// certificate and seals the team key to the new Noise key. Asked again for the same new
    /// identity, it answers the same way.
    /// - Parameter peer: the device the session authenticated; only it may change its keys.
    /// - Throws: `StoreError.invalidWrite` for a request that does not verify, from a revoked
    ///   device, or naming another successor than the one already certified;
    ///   `StoreError.deviceIDTaken` for a successor id the team already knows.
    func certifyKeyChange(_ request: KeyChangeRequest, from peer: DeviceID) throws(StoreError) -> EnrolmentGrant {
        guard let adminKey = keyring.adminKey, let team = try teamState else {
            throw .invalidWrite("only the team's admin node certifies new device keys")
        }
        guard request.team == team.team, request.device == peer, let current = team.roster.certificate(of: peer),
            SigningKey.isValid(signature: request.signature, message: request.signedBytes, publicKey: current.signingKey)
        else { throw .invalidWrite("the key change request does not verify") }
        guard team.roster.revocation(of: peer) == nil else { throw .invalidWrite("device \(peer) is revoked") }
        let now = wallClock()
        var roster = team.roster
        if let successor = roster.successors[peer] {
            guard successor == request.successor, let certified = roster.certificate(of: successor),
                certified.signingKey == request.signingKey, certified.noiseKey == request.noiseKey
            else { throw .invalidWrite("device \(peer) already changed its keys") }
        } else {
            // As at enrolment: a new identity never takes an id the team knows (SPEC.md §10).
            guard try !database.reading({ db in try Self.knows(request.successor, roster, db) }) else {
                throw .deviceIDTaken(request.successor)
            }
            let certificate = Self.certify(
                Self.template(
                    team: team.team, device: request.successor, role: current.role, name: current.name,
                    signingKey: request.signingKey, noiseKey: request.noiseKey), at: now, by: adminKey)
            let distribution = roster.teamKeys
            var sealed = distribution.sealedKeys
            sealed[peer] = nil
            sealed.merge(try Self.seal(keyring.currentTeamKey, to: [certificate])) { $1 }
            roster = roster.replacing(peer, with: certificate).distributing(
                TeamKeyDistribution(epoch: distribution.epoch, sealedKeys: sealed, chain: distribution.chain)
            ).with(version: roster.version + 1)
            let signed = roster.signed(adminKey.sign(roster.signedBytes))
            try database.writing { db in try saveTeam(signed, adminKey: team.adminKey, certificate: team.certificate, db) }
            roster = signed
        }
        let certificate = roster.certificate(of: request.successor)!
        return EnrolmentGrant(
            certificate: certificate, roster: roster, teamKeyEpoch: roster.teamKeys.epoch,
            sealedTeamKey: try Self.seal(keyring.currentTeamKey, to: [certificate])[certificate.device]!)
    }

    /// Takes the admin's answer to this device's key change: from now on the device signs and
    /// handshakes with its new keys under its new id; its old keys are destroyed.
    /// - Throws: `StoreError.invalidWrite` for an answer that does not verify or is not for the
    ///   identity this device asked for; nothing is changed then.
    func completeKeyChange(_ grant: EnrolmentGrant) throws(StoreError) {
        guard let team = try teamState, let pending = keyring.pendingIdentity else {
            throw .invalidWrite("this device asked for no key change")
        }
        let roster = grant.roster
        guard roster.team == team.team, AdminKeyChain.verifies(roster, founding: team.adminKey, known: team.roster.adminChain),
            SigningKey.isValid(
                signature: grant.certificate.signature, message: grant.certificate.signedBytes,
                publicKey: roster.currentAdminKey),
            grant.certificate.device == pending.device, grant.certificate.signingKey == pending.signingKey.publicKey,
            grant.certificate.noiseKey == pending.noiseKey.publicKey, roster.successors[keyring.device] == pending.device,
            let renewed = keyring.adoptingPendingIdentity(),
            let teamKey = try? SealedBox.open(grant.sealedTeamKey, with: pending.noiseKey)
        else { throw .invalidWrite("the admin's answer to the key change does not verify; nothing was changed") }
        try keys.replace(with: renewed.adding(teamKeys: [grant.teamKeyEpoch: teamKey]))
        try database.writing { db in
            try saveTeam(roster, adminKey: team.adminKey, certificate: grant.certificate, db)
            try ReplicaMeta.clearMustChangeIdentity(db)
        }
    }
}
