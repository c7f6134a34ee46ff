import RelaisCore
import RelaisCrypto
import RelaisStore
import RelaisTestSupport
import Testing

/// The admin key is replaced by one it endorses; every node follows the chain from the team's
/// founding key, and nothing signed by the old key alone is accepted once a node knows.
@Suite struct AdminKeyRotationTests {
    @Test func devicesFollowTheChainAndNewcomersJoinUnderTheNewKey() throws {
        let team = try EnrolledTeam()
        let laptop = try team.enrol("laptop")
        let founding = try team.hub.teamState!.roster.adminKey
        let rotation = try team.hub.rotateAdminKey()
        #expect(rotation.links == 1 && rotation.certificates == 2)
        let roster = try team.hub.teamState!.roster
        #expect(roster.currentAdminKey != founding && roster.adminKey == founding)
        #expect(roster.certificates.allSatisfy { $0.issuerKey == roster.currentAdminKey })

        #expect(try team.deliver(from: team.hub, to: laptop) == .adopted)
        #expect(try laptop.teamState!.certificate.issuerKey == roster.currentAdminKey)
        #expect(try laptop.teamState!.roster.adminChain == roster.adminChain)
        let newcomer = try team.enrol("newcomer")
        #expect(try newcomer.teamState!.certificate.issuerKey == roster.currentAdminKey)
        #expect(try team.hub.renewDueCertificates().isEmpty)
    }

    @Test func aChainIsCheckedLinkByLinkAndNeverForks() {
        let teamID = TeamID(Identifier128(high: 3, low: 3))
        let founding = SigningKey.generate()
        func link(_ key: SigningKey, after previous: SigningKey, index: Int) -> AdminKeyLink {
            AdminKeyLink(
                key: key.publicKey,
                signature: previous.sign(
                    AdminKeyLink.signedBytes(team: teamID, index: index, previous: previous.publicKey, key: key.publicKey)))
        }
        func roster(_ chain: [AdminKeyLink], signer: SigningKey) -> Roster {
            let unsigned = Roster(
                team: teamID, version: 2, adminKey: founding.publicKey, adminChain: chain, certificates: [], signature: [])
            return unsigned.signed(signer.sign(unsigned.signedBytes))
        }
        let (first, second, rival) = (SigningKey.generate(), SigningKey.generate(), SigningKey.generate())
        let chain = [link(first, after: founding, index: 1), link(second, after: first, index: 2)]
        #expect(AdminKeyChain.verifies(roster(chain, signer: second), founding: founding.publicKey))
        #expect(AdminKeyChain.verifies(roster(chain, signer: second), founding: founding.publicKey, known: [chain[0]]))
        #expect(!AdminKeyChain.verifies(roster(chain, signer: first), founding: founding.publicKey), "signed by a replaced key")
        #expect(!AdminKeyChain.verifies(roster([chain[1]], signer: second), founding: founding.publicKey), "a link skipped")
        let fork = [link(rival, after: founding, index: 1)]
        #expect(!AdminKeyChain.verifies(roster(fork, signer: rival), founding: founding.publicKey, known: [chain[0]]))
        #expect(!AdminKeyChain.verifies(roster(chain, signer: second), founding: rival.publicKey), "another team's anchor")
    }

    @Test func onlyTheAdminNodeRotatesTheAdminKey() throws {
        let team = try EnrolledTeam()
        let laptop = try team.enrol("laptop")
        #expect(throws: StoreError.self) { try laptop.rotateAdminKey() }
    }
}
