import RelaisCore
import RelaisCrypto

extension TeamService {

    /// On the admin node: renews, keys unchanged, every certificate of the roster that expires
    /// within the renewal window or has expired, except those of revoked or replaced devices; the admin's own
    /// included. Run at every session, so the new roster reaches the peer in that session and the
    /// other devices through any node: a laptop back from weeks offline renews through the hub, or
    /// through a laptop that met it, without a new enrolment. Devices that may leave the roster
    /// leave it in the same version (`pruned`).
    /// - Returns: the devices whose certificates were renewed.
    @discardableResult
    func renewDueCertificates() throws(StoreError) -> [DeviceID] {
        guard let adminKey = keyring.adminKey, let team = try teamState else { return [] }
        let now = wallClock()
        let due = team.roster.activeCertificates.filter {
            $0.expiresAt < now + Limits.certificateRenewalWindow
                || $0.issuerKey != adminKey.publicKey
        }
        // Before every session: no write lock unless a certificate is due or one may leave.
        let active = Set(team.roster.activeCertificates.map(\.device))
        let mayLeave = team.roster.certificates.contains { !active.contains($0.device) && $0.expiresAt <= now }
        guard !due.isEmpty || mayLeave else { return [] }
        try database.writing { db in
            var (roster, closures) = try pruned(team.roster, at: now, by: adminKey, db)
            guard !due.isEmpty || !closures.isEmpty else { return }
            var own = team.certificate
            for held in due {
                let renewed = Self.certify(held, at: now, by: adminKey)
                roster = roster.adding(renewed)
                if renewed.device == keyring.device { own = renewed }
            }
            // One new version for the lot, not one per certificate.
            let next = roster.with(version: team.roster.version + 1)
            _ = try ChangeLog.keep(closures, db)
            try saveTeam(next.signed(adminKey.sign(next.signedBytes)), adminKey: team.adminKey, certificate: own, db)
        }
        return due.map(\.device)
    }

    /// A certificate of `template`'s team, device, role, name and keys, valid from `now` for the
    /// full lifetime, issued by `adminKey`.
    static func certify(_ template: DeviceCertificate, at now: WallTime, by adminKey: SigningKey) -> DeviceCertificate {
        let certificate = DeviceCertificate(
            team: template.team, device: template.device, role: template.role, name: template.name,
            signingKey: template.signingKey, noiseKey: template.noiseKey, issuedAt: now,
            expiresAt: now + Limits.certificateLifetime,
            issuerKey: adminKey.publicKey, signature: [])
        return certificate.signed(adminKey.sign(certificate.signedBytes))
    }

    /// A certificate to be filled in by `certify`.
    static func template(
        team: TeamID, device: DeviceID, role: DeviceCertificate.Role, name: String, signingKey: [UInt8], noiseKey: [UInt8]
    ) -> DeviceCertificate {
        DeviceCertificate(
            team: team, device: device, role: role, name: name, signingKey: signingKey, noiseKey: noiseKey,
            issuedAt: WallTime(milliseconds: 0), expiresAt: WallTime(milliseconds: 0), issuerKey: [], signature: [])
    }

    /// This device's certificate in `roster` when it renews the one it holds.
    func ownRenewal(in roster: Roster, holding certificate: DeviceCertificate) -> DeviceCertificate {
        guard let renewed = roster.renewal(of: certificate), renewed.noiseKey == keyring.noiseKey.publicKey,
            renewed.signingKey == keyring.signingPublicKey
        else { return certificate }
        return renewed
    }
}

extension TeamService {
    /// Replaces the admin key: the new key is endorsed by the current one in the roster's chain,
    /// which every node follows from the team's founding key; every certificate in use is issued
    /// anew under it (peers hold devices to those renewals), and the old key leaves the keyring.
    /// - Throws: `StoreError.invalidWrite` unless this is the admin node.
    func rotateAdminKey() throws(StoreError) -> AdminKeyRotation {
        guard let adminKey = keyring.adminKey, let team = try teamState else {
            throw .invalidWrite("only the team's admin node can rotate the admin key")
        }
        guard team.roster.adminChain.count < RelaisCore.Limits.adminKeyLinksMax else {
            throw .invalidWrite("the admin key was rotated \(RelaisCore.Limits.adminKeyLinksMax) times; create a new team")
        }
        let newKey = SigningKey.generate()
        let message = AdminKeyLink.signedBytes(
            team: team.team, index: team.roster.adminChain.count + 1, previous: team.roster.currentAdminKey,
            key: newKey.publicKey)
        var roster = team.roster.handingAdminTo(AdminKeyLink(key: newKey.publicKey, signature: adminKey.sign(message)))
        let now = wallClock()
        var own = team.certificate
        for held in team.roster.activeCertificates {
            let renewed = Self.certify(held, at: now, by: newKey)
            roster = roster.adding(renewed)
            if renewed.device == keyring.device { own = renewed }
        }
        roster = roster.with(version: team.roster.version + 1)
        let signed = roster.signed(newKey.sign(roster.signedBytes))
        // The keyring first: a roster signed by a key this node lost would lock the team.
        try keys.replace(with: keyring.adding(teamKeys: [:], adminKey: newKey))
        try database.writing { db in try saveTeam(signed, adminKey: team.adminKey, certificate: own, db) }
        return AdminKeyRotation(links: signed.adminChain.count, certificates: team.roster.activeCertificates.count)
    }
}

/// What `relais admin rotate-admin-key` did.
public struct AdminKeyRotation: Codable, Hashable, Sendable {
    /// Admin keys that replaced the founding one so far.
    public let links: Int
    /// Certificates issued anew under the new key.
    public let certificates: Int
}
