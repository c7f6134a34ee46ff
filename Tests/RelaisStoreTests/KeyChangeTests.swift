import RelaisCore
import RelaisHarness
import RelaisCrypto
import RelaisStore
import RelaisTestSupport
import Testing

/// `relais rotate-device-key`: a device gets new keys under a new id, certified by the admin; the
/// old certificate is retired, and what the device signed before still verifies everywhere.
@Suite struct KeyChangeTests {
    @Test func aDeviceChangesItsKeysAndItsEarlierChangesStillVerify() throws {
        let team = try EnrolledTeam()
        let laptop = try team.enrol("laptop")
        let old = laptop.keyring.device
        let person = try laptop.addPerson(["family_name=Before"]).hex
        try team.deliver(from: laptop, to: team.hub)

        let request = try laptop.keyChangeRequest()
        #expect(try laptop.keyChangeRequest() == request, "an unanswered request is asked again with the same keys")
        let grant = try team.hub.certifyKeyChange(request, from: old)
        #expect(try team.hub.certifyKeyChange(request, from: old).certificate == grant.certificate)
        try laptop.completeKeyChange(grant)

        #expect(laptop.keyring.device == request.successor && laptop.keyring.device != old)
        #expect(try laptop.teamState!.certificate == grant.certificate)
        let roster = try team.hub.teamState!.roster
        #expect(roster.successors[old] == request.successor)
        #expect(!roster.activeCertificates.contains { $0.device == old })
        #expect(try team.hub.devices().first { $0.device == old.hex }?.replacedBy == request.successor.hex)

        try laptop.updatePerson(person, set: ["given_names=After"], unset: [])
        let newcomer = try team.enrol("newcomer")
        try team.deliver(from: laptop, to: newcomer)
        #expect(try newcomer.personFile(person).fields.compactMap { $0.values.first }.contains("Before"))
        #expect(try newcomer.personFile(person).fields.compactMap { $0.values.first }.contains("After"))
        try team.deliver(from: laptop, to: team.hub)
        #expect(try team.hub.versionVector == laptop.versionVector)
    }

    @Test func onlyTheDeviceItselfMayAskAndARevokedOneMayNot() throws {
        let team = try EnrolledTeam()
        let (laptop, other) = (try team.enrol("laptop"), try team.enrol("other"))
        let request = try laptop.keyChangeRequest()
        #expect(throws: StoreError.self) { try team.hub.certifyKeyChange(request, from: other.keyring.device) }
        let forged = request.signed(Array(repeating: 7, count: 64))
        #expect(throws: StoreError.self) { try team.hub.certifyKeyChange(forged, from: laptop.keyring.device) }
        #expect(throws: StoreError.self) { try other.certifyKeyChange(request, from: laptop.keyring.device) }
        #expect(throws: StoreError.self) { try team.hub.keyChangeRequest() }

        _ = try team.hub.revokeDevice(laptop.keyring.device.hex)
        #expect(throws: StoreError.self) { try team.hub.certifyKeyChange(request, from: laptop.keyring.device) }
        #expect(try team.hub.teamState!.roster.successors.isEmpty)
    }

    @Test func anAnswerForAnotherIdentityChangesNothing() throws {
        let team = try EnrolledTeam()
        let (laptop, other) = (try team.enrol("laptop"), try team.enrol("other"))
        _ = try laptop.keyChangeRequest()
        let grant = try team.hub.certifyKeyChange(try other.keyChangeRequest(), from: other.keyring.device)
        let before = laptop.keyring.device
        #expect(throws: StoreError.self) { try laptop.completeKeyChange(grant) }
        #expect(laptop.keyring.device == before)
    }
}
