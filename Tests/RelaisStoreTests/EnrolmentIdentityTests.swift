import RelaisCore
import RelaisHarness
import RelaisCrypto
@testable import RelaisStore
import RelaisTestSupport
import Testing

/// A device id is its owner's for good (SPEC.md §9): an invite never certifies an id the team
/// already knows, whoever holds the token.
@Suite struct EnrolmentIdentityTests {
    /// An enrolment claiming `device`, with keys of its own, as an impostor holding a token would send it.
    func claim(_ device: DeviceID, on hub: Replica) throws -> (tokenID: [UInt8], result: Result<EnrolmentGrant, StoreError>) {
        let impostor = Keyring.generate(deviceName: "clone")
        let tokenID = try Replica.parseToken(try hub.createInvite(role: .field, name: "", validFor: .seconds(3_600))).id
        let result = Result { () throws(StoreError) in
            try hub.enrol(
                tokenID: tokenID,
                identity: EnrolmentIdentity(device: device, name: "clone", signingKey: impostor.signingPublicKey),
                noiseKey: impostor.noiseKey.publicKey)
        }
        return (tokenID, result)
    }

    /// Why the invite was refused, if it was.
    func problem(_ body: () throws -> SecureBytes) -> InviteProblem? {
        do {
            _ = try body()
            return nil
        } catch {
            if case StoreError.unusableInvite(let problem) = error { return problem }
            return nil
        }
    }

    func expectRefused(_ device: DeviceID, on hub: Replica) throws {
        let before = try hub.teamState!.roster
        let (tokenID, result) = try claim(device, on: hub)
        guard case .failure(.deviceIDTaken(let taken)) = result else {
            Issue.record("the hub certified a second device under \(device): \(result)")
            return
        }
        #expect(taken == device)
        #expect(try hub.teamState!.roster == before, "the roster changed")
        #expect(throws: StoreError.self, "the token that tried is used up") { try hub.invitePreSharedKey(tokenID: tokenID) }
    }

    @Test func noInviteCertifiesALaptopsOrTheHubsID() throws {
        let team = try EnrolledTeam()
        let laptop = try team.enrol("laptop")
        try expectRefused(laptop.keyring.device, on: team.hub)
        try expectRefused(team.hub.keyring.device, on: team.hub)
        // The genuine laptop still signs changes the hub accepts under its id.
        _ = try laptop.addPerson(["family_name=Genuine"])
        try team.deliver(from: laptop, to: team.hub)
        #expect(try team.hub.versionVector == laptop.versionVector)
    }

    @Test func revokedAndRetiredIDsAreNeverCertifiedAgain() throws {
        let team = try EnrolledTeam()
        let (lost, changing) = (try team.enrol("lost"), try team.enrol("changing"))
        _ = try team.hub.revokeDevice(lost.keyring.device.hex)
        try expectRefused(lost.keyring.device, on: team.hub)
        let retired = changing.keyring.device
        try changing.completeKeyChange(try team.hub.certifyKeyChange(try changing.keyChangeRequest(), from: retired))
        try expectRefused(retired, on: team.hub)
        try expectRefused(changing.keyring.device, on: team.hub)
    }

    @Test func aKeyChangeCannotTakeAnotherDevicesID() throws {
        let team = try EnrolledTeam()
        let (laptop, victim) = (try team.enrol("laptop"), try team.enrol("victim"))
        let honest = try laptop.keyChangeRequest()
        let forged = KeyChangeRequest(
            team: honest.team, device: honest.device, successor: victim.keyring.device, signingKey: honest.signingKey,
            noiseKey: honest.noiseKey, signature: [])
        let signed = forged.signed(laptop.keyring.signingKey.sign(forged.signedBytes))
        #expect {
            try team.hub.certifyKeyChange(signed, from: laptop.keyring.device)
        } throws: { error in
            if case StoreError.deviceIDTaken(let device) = error { device == victim.keyring.device } else { false }
        }
        #expect(try team.hub.teamState!.roster.certificate(of: victim.keyring.device)?.name == "victim")
    }

    @Test func anUnusableTokenSaysWhy() throws {
        let team = try EnrolledTeam()
        let token = try team.hub.createInvite(role: .field, name: "", validFor: .seconds(3_600))
        let tokenID = try Replica.parseToken(token).id
        let keyring = Keyring.generate(deviceName: "first")
        _ = try team.hub.enrol(
            tokenID: tokenID,
            identity: EnrolmentIdentity(device: keyring.device, name: "first", signingKey: keyring.signingPublicKey),
            noiseKey: keyring.noiseKey.publicKey)
        #expect(problem { try team.hub.invitePreSharedKey(tokenID: tokenID) } == .used)

        let expiring = try Replica.parseToken(try team.hub.createInvite(role: .field, name: "", validFor: .seconds(60))).id
        team.clock.advance(milliseconds: 61_000)
        #expect(
            problem { try team.hub.invitePreSharedKey(tokenID: expiring) } == .expired(WallTime(milliseconds: 1_790_000_060_000)))
        #expect(problem { try team.hub.invitePreSharedKey(tokenID: [1, 2, 3, 4, 5, 6, 7, 8]) } == .unknown)
    }
}
