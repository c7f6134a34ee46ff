import RelaisCore
import RelaisStore
import RelaisTestSupport
import Testing

/// Certificates last 90 days; the admin node renews those with less than 30 days left, or expired,
/// at every session, and the renewal travels in the roster.
@Suite struct CertificateRenewalTests {
    static let day: UInt64 = 86_400_000

    @Test func certificatesAreRenewedOnlyWhenDueWithTheirKeysAndReachTheirDevice() throws {
        let team = try EnrolledTeam()
        let laptop = try team.enrol("laptop")
        let issued = try laptop.teamState!.certificate
        team.clock.advance(milliseconds: 50 * Self.day)
        #expect(try team.hub.renewDueCertificates().isEmpty)

        team.clock.advance(milliseconds: 20 * Self.day)
        #expect(try Set(team.hub.renewDueCertificates()) == [issued.device, team.hub.keyring.device])
        #expect(try team.hub.teamState!.certificate.expiresAt.milliseconds == team.clock.now.milliseconds + 90 * Self.day)
        try team.deliver(from: team.hub, to: laptop)
        let renewed = try laptop.teamState!.certificate
        #expect(renewed.expiresAt.milliseconds == team.clock.now.milliseconds + 90 * Self.day)
        #expect(renewed.noiseKey == issued.noiseKey && renewed.signingKey == issued.signingKey)
        #expect(try team.hub.renewDueCertificates().isEmpty)
    }

    @Test func aLaptopBackFromWeeksOfflineRenewsThroughALaptopThatMetTheHub() throws {
        let team = try EnrolledTeam()
        let (away, carrier) = (try team.enrol("away"), try team.enrol("carrier"))
        let expired = try away.teamState!.certificate
        team.clock.advance(milliseconds: 120 * Self.day)
        #expect(!expired.isValid(at: team.clock.now))
        try team.hub.renewDueCertificates()
        try team.deliver(from: team.hub, to: carrier)
        let renewal = try #require(try carrier.teamState!.roster.renewal(of: expired))
        #expect(renewal.isValid(at: team.clock.now))
        try team.deliver(from: carrier, to: away)
        #expect(try away.teamState!.certificate == renewal)
    }

    @Test func revokedDevicesAreNotRenewedAndOnlyTheAdminRenews() throws {
        let team = try EnrolledTeam()
        let (lost, kept) = (try team.enrol("lost"), try team.enrol("kept"))
        _ = try team.hub.revokeDevice(lost.keyring.device.hex)
        team.clock.advance(milliseconds: 80 * Self.day)
        #expect(try kept.renewDueCertificates().isEmpty)
        #expect(try !team.hub.renewDueCertificates().contains(lost.keyring.device))
        let roster = try team.hub.teamState!.roster
        #expect(roster.certificate(of: lost.keyring.device) == (try lost.teamState!.certificate))
    }
}
