import RelaisCore
import RelaisCrypto
import RelaisDaemon
import RelaisStore
import RelaisSync
import Testing

/// Every way a certificate can be wrong is refused with its own reason code.
@Suite struct PeerVerifierTests {
    let admin = SigningKey.generate()
    let team = TeamID(Identifier128(high: 7, low: 7))
    let noise = X25519KeyPair.generate()
    let now = WallTime(milliseconds: 1_800_000_000_000)

    func certificate(team: TeamID? = nil, noiseKey: [UInt8]? = nil, expiresAt: WallTime? = nil, signer: SigningKey? = nil)
        -> DeviceCertificate
    {
        let unsigned = DeviceCertificate(
            team: team ?? self.team, device: DeviceID(Identifier128(high: 1, low: 1)), role: .field, name: "laptop",
            signingKey: SigningKey.generate().publicKey, noiseKey: noiseKey ?? noise.publicKey,
            issuedAt: WallTime(milliseconds: now.milliseconds - 1_000),
            expiresAt: expiresAt ?? WallTime(milliseconds: now.milliseconds + 1_000),
            issuerKey: admin.publicKey, signature: Array(repeating: 0, count: 64))
        return unsigned.signed((signer ?? admin).sign(unsigned.signedBytes))
    }

    var state: TeamState {
        let roster = Roster(team: team, version: 1, adminKey: admin.publicKey, certificates: [], signature: [])
        return TeamState(team: team, roster: roster, adminKey: admin.publicKey, certificate: certificate())
    }

    @Test func aValidCertificateIsAccepted() {
        #expect(PeerVerifier.check(certificate(), noiseKey: noise.publicKey, team: state, now: now) == nil)
    }

    @Test func eachDefectHasItsReason() {
        let cases: [(DeviceCertificate?, [UInt8], Refusal.Code)] = [
            (nil, noise.publicKey, .badCertificate),
            (certificate(team: TeamID(Identifier128(high: 9, low: 9))), noise.publicKey, .otherTeam),
            (certificate(signer: SigningKey.generate()), noise.publicKey, .badCertificate),
            (certificate(), X25519KeyPair.generate().publicKey, .badCertificate),
            (certificate(expiresAt: WallTime(milliseconds: now.milliseconds - 1)), noise.publicKey, .certificateExpired),
        ]
        for (certificate, key, code) in cases {
            #expect(PeerVerifier.check(certificate, noiseKey: key, team: state, now: now)?.code == code)
        }
    }

    /// A node that has not yet learnt a new admin key accepts a certificate the new key issued
    /// when the peer's Hello carries a chain that extends its own from the founding key.
    @Test func aCertificateOfANewAdminKeyIsAcceptedThroughAValidChainOnly() {
        let successor = SigningKey.generate()
        let message = AdminKeyLink.signedBytes(team: team, index: 1, previous: admin.publicKey, key: successor.publicKey)
        let link = AdminKeyLink(key: successor.publicKey, signature: admin.sign(message))
        let forged = AdminKeyLink(key: successor.publicKey, signature: SigningKey.generate().sign(message))
        let issued = certificate(signer: successor)
        #expect(PeerVerifier.check(issued, noiseKey: noise.publicKey, team: state, now: now)?.code == .badCertificate)
        #expect(PeerVerifier.check(issued, noiseKey: noise.publicKey, team: state, now: now, presentedChain: [link]) == nil)
        #expect(
            PeerVerifier.check(issued, noiseKey: noise.publicKey, team: state, now: now, presentedChain: [forged])?.code
                == .badCertificate)
    }
}
