import RelaisCore
import RelaisHarness
import RelaisCrypto
import RelaisStore
import RelaisTestSupport
import Testing

/// After a revocation, a new team key epoch keeps what is written next away from the revoked
/// device, while every other device, however late, reads everything.
@Suite struct TeamKeyRotationTests {
    @Test func aRevokedDeviceCannotReadWhatIsWrittenAfterTheRotation() throws {
        let team = try EnrolledTeam()
        let (kept, lost) = (try team.enrol("kept"), try team.enrol("lost"))
        let alpha = try team.hub.addPerson(["family_name=Alpha", "phone=0600000001"]).hex
        try team.deliver(from: team.hub, to: kept)
        try team.deliver(from: team.hub, to: lost)

        _ = try team.hub.revokeDevice(lost.keyring.device.hex)
        let rotation = try team.hub.rotateTeamKey()
        #expect(rotation.epoch == 2 && rotation.devices == 2)
        try team.hub.updatePerson(alpha, set: ["family_name=AlphaAfter", "phone=0600000002"], unset: [])
        let beta = try team.hub.addPerson(["family_name=Beta"]).hex

        #expect(try team.deliver(from: team.hub, to: kept) == .adopted)
        #expect(try kept.personFile(alpha).fields.first { $0.name == "family_name" }?.values == ["AlphaAfter"])
        #expect(try kept.personFile(beta).fields.first { $0.name == "family_name" }?.values == ["Beta"])
        try kept.updatePerson(beta, set: ["given_names=Written on a laptop"], unset: [])
        try team.deliverChanges(from: kept, to: team.hub)
        #expect(try team.hub.personFile(beta).fields.first { $0.name == "given_names" }?.values == ["Written on a laptop"])

        // The thief holds the laptop, its keyring and its passphrase, and a copy of every later change.
        try team.deliverChanges(from: kept, to: lost)
        let file = try lost.personFile(alpha)
        #expect(!"\(file)".contains("AlphaAfter") && !"\(file)".contains("0600000002"))
        #expect(file.fields.first { $0.name == "family_name" }?.unreadable == true)
        #expect(throws: StoreError.self) { try lost.personFile(beta) }
    }

    @Test func aDeviceBackFromTwoRotationsAndOneEnrolledAfterThemReadEverything() throws {
        let team = try EnrolledTeam()
        let away = try team.enrol("away")
        let early = try team.hub.addPerson(["family_name=Early"]).hex
        _ = try team.hub.rotateTeamKey()
        let middle = try team.hub.addPerson(["family_name=Middle"]).hex
        _ = try team.hub.rotateTeamKey()
        try team.hub.updatePerson(early, set: ["given_names=Late"], unset: [])
        let newcomer = try team.enrol("newcomer")

        for device in [away, newcomer] {
            try team.deliver(from: team.hub, to: device)
            #expect(try device.personFile(early).fields.first { $0.name == "given_names" }?.values == ["Late"])
            #expect(try device.personFile(middle).fields.first { $0.name == "family_name" }?.values == ["Middle"])
        }
        #expect(try team.hub.teamState?.roster.teamKeys.epoch == 3)
    }

    @Test func onlyTheAdminNodeRotates() throws {
        let team = try EnrolledTeam()
        let laptop = try team.enrol("laptop")
        #expect(throws: StoreError.self) { try laptop.rotateTeamKey() }
        let loner = try Replica.inMemory(keyring: .generate(deviceName: "loner"), wallClock: TestClock.machine)
        #expect(throws: StoreError.self) { try loner.rotateTeamKey() }
    }

    @Test func invitesMadeBeforeARotationStillEnrol() throws {
        let team = try EnrolledTeam()
        let keyring = Keyring.generate(deviceName: "late")
        let token = try team.hub.createInvite(role: .field, name: "late", validFor: .seconds(3_600))
        _ = try team.hub.rotateTeamKey()
        let (id, _) = try Replica.parseToken(token)
        _ = try team.hub.invitePreSharedKey(tokenID: id)
        let grant = try team.hub.enrol(
            tokenID: id, identity: EnrolmentIdentity(device: keyring.device, name: "late", signingKey: keyring.signingPublicKey),
            noiseKey: keyring.noiseKey.publicKey)
        #expect(grant.teamKeyEpoch == 2)
    }

    /// A roster travels in one frame: enrolment stops, with a clear error, before it would not fit.
    @Test func enrolmentStopsBeforeTheRosterOutgrowsAFrame() throws {
        let team = try EnrolledTeam()
        var enrolled = 0
        var refusal: StoreError?
        while refusal == nil && enrolled < 400 {
            do {
                _ = try team.enrol("laptop-\(enrolled)")
                enrolled += 1
            } catch let error as StoreError {
                refusal = error
            }
        }
        #expect(refusal != nil && "\(refusal!)".contains("cannot list more devices"))
        #expect(try team.hub.teamState!.roster.encoded.count <= Limits.rosterBytesMax)
        #expect(enrolled > 100)
    }
}
