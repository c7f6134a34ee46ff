import RelaisCore
import RelaisCrypto

extension Replica {
    /// Certificates are renewed once less than this is left of them: a laptop that meets the hub,
    /// or a laptop that met it, once a month never sees its certificate expire.
    static let renewalWindowMilliseconds: UInt64 = 30 * 24 * 3_600 * 1_000

    /// On the admin node: renews, keys unchanged, every certificate of the roster that expires
    /// within the renewal window or has expired, except those of revoked or replaced devices; the admin's own
    /// included. Run at every session, so the new roster reaches the peer in that session and the
    /// other devices through any node: a laptop back from weeks offline renews through the hub, or
    /// through a laptop that met it, without a new enrolment.
    /// - Returns: the devices whose certificates were renewed.
    @discardableResult
    public func renewDueCertificates() throws(StoreError) -> [DeviceID] {
        guard let adminKey = keyring.adminKey, let team = try teamState else { return [] }
        let now = wallClock()
        let due = team.roster.activeCertificates.filter {
            $0.expiresAt.milliseconds < now.milliseconds + Self.renewalWindowMilliseconds
        }
        guard !due.isEmpty else { return [] }
        var roster = team.roster
        var own = team.certificate
        for held in due {
            let renewed = Self.sign(
                DeviceCertificate(
                    team: team.team, device: held.device, role: held.role, name: held.name, signingKey: held.signingKey,
                    noiseKey: held.noiseKey, issuedAt: now,
                    expiresAt: WallTime(milliseconds: now.milliseconds + Self.certificateLifetimeMilliseconds),
                    issuerKey: adminKey.publicKey, signature: Array(repeating: 0, count: 64)), with: adminKey)
            roster = roster.adding(renewed)
            if renewed.device == keyring.device { own = renewed }
        }
        // One new version for the lot, not one per certificate.
        let next = roster.with(version: team.roster.version + 1)
        let signed = next.signed(adminKey.sign(next.signedBytes))
        try write { db in try saveTeam(signed, adminKey: team.adminKey, certificate: own, db) }
        return due.map(\.device)
    }

    /// This device's certificate in `roster` when it renews the one it holds.
    func ownRenewal(in roster: Roster, holding certificate: DeviceCertificate) -> DeviceCertificate {
        guard let renewed = roster.renewal(of: certificate), renewed.noiseKey == keyring.noiseKey.publicKey,
            renewed.signingKey == keyring.signingPublicKey
        else { return certificate }
        return renewed
    }
}
