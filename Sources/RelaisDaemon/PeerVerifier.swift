import RelaisCore
import RelaisCrypto
import RelaisStore
import RelaisSync

/// Decides whether a peer may sync: its certificate must be signed by this team's admin key, be
/// for this team, name the Noise key the peer proved it holds, not be revoked or retired, and be
/// valid now.
public enum PeerVerifier {
    /// - Parameter presentedChain: the admin key chain the peer follows: when it extends this
    ///   node's with valid links, a certificate issued by its newest key is accepted (this node
    ///   adopts the new roster in the same session).
    public static func check(
        _ certificate: DeviceCertificate?, noiseKey: [UInt8], team: TeamState, now: WallTime, presentedChain: [AdminKeyLink] = []
    ) -> Refusal? {
        guard let certificate else { return Refusal(.badCertificate, "the peer presented no certificate (not enrolled)") }
        guard certificate.team == team.team else {
            return Refusal(.otherTeam, "device \(certificate.device) belongs to team \(certificate.team), not \(team.team)")
        }
        guard
            SigningKey.isValid(
                signature: certificate.signature, message: certificate.signedBytes, publicKey: issuer(of: team, presentedChain))
        else {
            return Refusal(.badCertificate, "the certificate of device \(certificate.device) is not signed by this team's admin")
        }
        guard certificate.noiseKey == noiseKey else {
            return Refusal(.badCertificate, "device \(certificate.device) does not hold the key its certificate names")
        }
        if let revocation = team.roster.revocation(of: certificate.device), revocation.at <= now {
            return Refusal(.revoked, "device \(certificate.device) was revoked by the team admin")
        }
        if let successor = team.roster.successors[certificate.device] {
            return Refusal(
                .badCertificate,
                "device \(certificate.device) changed its keys (it is now \(successor)); its old certificate is retired")
        }
        guard certificate.isValid(at: now) else {
            return Refusal(.certificateExpired, "the certificate of device \(certificate.device) is not valid now")
        }
        return nil
    }

    /// The admin key certificates must be signed by: this node's current one, or the end of the
    /// peer's chain when that chain extends this node's and verifies from the founding key.
    private static func issuer(of team: TeamState, _ presented: [AdminKeyLink]) -> [UInt8] {
        guard presented.count > team.roster.adminChain.count, presented.starts(with: team.roster.adminChain),
            let end = AdminKeyChain.verifiedEnd(of: presented, founding: team.adminKey, team: team.team)
        else { return team.roster.currentAdminKey }
        return end
    }
}
