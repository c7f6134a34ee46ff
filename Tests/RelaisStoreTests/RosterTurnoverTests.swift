import RelaisCore
import RelaisCrypto
import RelaisHarness
import RelaisStore
import RelaisTestSupport
import Foundation
import Testing

/// A roster that outlives staff turnover (SPEC.md §10, "Pruning"): revoked and retired devices
/// leave it once their certificates expire, and their changes still reach devices enrolled later.
@Suite struct RosterTurnoverTests {
    static let day: UInt64 = 86_400_000
    static let enrolments = Int(ProcessInfo.processInfo.environment["RELAIS_ENROLMENTS"] ?? "") ?? 10_000

    /// 10 000 enrolments, each device revoked soon after (laptops changing hands), two months a
    /// thousand: every enrolment succeeds, and a laptop enrolled at the end gets, and verifies, what
    /// the first generation wrote, including a retired device's changes.
    @Test func aTeamGoesThroughTenThousandEnrolmentsAndStillEnrols() throws {
        let team = try EnrolledTeam()
        let (lost, renamed) = (try team.enrol("lost"), try team.enrol("renamed"))
        let person = try lost.addPerson(["family_name=Diallo"])
        try team.deliver(from: lost, to: team.hub)
        _ = try team.hub.revokeDevice(lost.keyring.device.hex)
        try team.deliver(from: team.hub, to: renamed)
        let visit = try renamed.addLinkedRecord(type: "visit", person: person.hex, set: ["kind=home_visit"])
        try renamed.completeKeyChange(try team.hub.certifyKeyChange(try renamed.keyChangeRequest(), from: renamed.keyring.device))
        try team.deliver(from: renamed, to: team.hub)
        try team.deliver(from: team.hub, to: renamed)

        var largest = 0
        for index in 0..<Self.enrolments {
            let keyring = Keyring.generate(deviceName: "laptop \(index)", device: DeviceID(RandomBytes.identifier()))
            _ = try team.hub.enrolDirectly(keyring)
            _ = try team.hub.revokeDevice(keyring.device.hex)
            if index % 20 == 19 {
                team.clock.advance(milliseconds: 30 * Self.day)
                try team.hub.renewDueCertificates()
            }
            if index % 20 == 18 { largest = max(largest, try team.hub.teamState!.roster.encoded.count) }
        }
        let roster = try team.hub.teamState!.roster
        print(
            "roster turnover: \(Self.enrolments) enrolments, largest roster \(largest) bytes, \(roster.certificates.count) certificates at the end"
        )
        #expect(largest <= Limits.rosterBytesMax)
        #expect(roster.certificates.count < 2_000, "\(roster.certificates.count) certificates left")
        #expect(roster.certificate(of: lost.keyring.device) == nil, "the lost laptop's certificate expired and went")

        let newcomer = try team.enrol("newcomer")
        try team.deliver(from: team.hub, to: newcomer)
        #expect(try newcomer.versionVector == team.hub.versionVector)
        #expect(try newcomer.snapshot() == team.hub.snapshot())
        #expect(try newcomer.personFile(person.hex).linked.map(\.id) == [visit.hex])
    }

    @Test func aClosureNotSignedByTheAdminIsRefused() throws {
        let team = try EnrolledTeam()
        let laptop = try team.enrol("laptop")
        let forger = SigningKey.generate()
        let closure = OriginClosure(
            team: try team.hub.teamState!.team, device: DeviceID(RandomBytes.identifier()), signingKey: forger.publicKey,
            validThrough: 10, issuerKey: forger.publicKey, signature: [])
        let forged = closure.signed(forger.sign(closure.signedBytes))
        let error = #expect(throws: StoreError.self) { try laptop.adoptClosures([forged]) }
        #expect(error?.description == "the closure of device \(closure.device) is not signed by this team's admin; refused")
    }
}
