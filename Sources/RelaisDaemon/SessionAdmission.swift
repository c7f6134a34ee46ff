import RelaisCore
import RelaisStore
import RelaisSync

/// What a node says of itself when a session starts, and whether it lets the peer in: the part
/// of a session that reads and writes the replica, shared by the daemon and the simulation.
public enum SessionAdmission {
    /// The Hello this node presents. On the admin node every session first renews the
    /// certificates due, so the peer gets the roster in that session.
    public static func hello(of replica: Replica) throws -> PeerHello {
        try replica.reloadKeyringIfChanged()
        try replica.renewDueCertificates()
        let team = try replica.teamState
        return PeerHello(
            certificate: team?.certificate, rosterVersion: team?.roster.version ?? 0, adminChain: team?.roster.adminChain ?? [])
    }

    /// Checks the peer (`PeerVerifier`), trusts its signing key if accepted, and says which roster
    /// to send first: the local one when the peer's is older, or the one that explains a revocation.
    public static func verdict(on hello: PeerHello, noiseKey: [UInt8], replica: Replica, now: WallTime) throws -> PeerVerdict {
        guard let team = try replica.teamState else {
            return .refuse(Refusal(.unknownDevice, "this node has not joined a team yet"), roster: nil)
        }
        // A renewal in the roster stands for the certificate presented: the device gets it in this session.
        let presented = hello.certificate.map { team.roster.renewal(of: $0) ?? $0 }
        if let refusal = PeerVerifier.check(presented, noiseKey: noiseKey, team: team, now: now, presentedChain: hello.adminChain)
        {
            return .refuse(refusal, roster: refusal.code == .revoked ? team.roster.encoded : nil)
        }
        let certificate = presented!
        try replica.trust(device: certificate.device, signingKey: certificate.signingKey)
        let roster = hello.rosterVersion < team.roster.version ? team.roster.encoded : nil
        return .accept(
            localVector: try replica.versionVector, roster: roster,
            awaiting: try replica.awaitingPersons(limit: RelaisSync.Limits.fillPersonsMax), heads: try replica.changeHeads())
    }
}
