import RelaisCore
import RelaisHarness
import RelaisStore
import RelaisSync
import RelaisTestSupport
import Testing

/// Closures (SPEC.md §10, "Pruning") travel in a session's batches with the changes of the
/// devices pruned from the roster.
@Suite struct PrunedOriginSessionTests {
    static let day: UInt64 = 86_400_000

    /// A node that never received a pruned device's closure does not hand its changes over (the
    /// peer could not verify them); the admin node does, with the closure, in a session's batch.
    @Test func onlyANodeHoldingTheClosureRelaysAPrunedDevicesChanges() async throws {
        let team = try EnrolledTeam()
        let (lost, carrier) = (try team.enrol("lost"), try team.enrol("carrier"))
        _ = try lost.addPerson(["family_name=Diallo"])
        try team.deliver(from: lost, to: team.hub)
        try team.deliver(from: team.hub, to: carrier)
        _ = try team.hub.revokeDevice(lost.keyring.device.hex)
        team.clock.advance(milliseconds: 91 * Self.day)
        try team.hub.renewDueCertificates()
        try team.deliver(from: team.hub, to: carrier)
        #expect(try carrier.teamState!.roster.certificate(of: lost.keyring.device) == nil)

        let newcomer = try team.enrol("newcomer")
        let fromCarrier = try carrier.batch(missingFrom: VersionVector())
        #expect(!fromCarrier.changes.contains { $0.origin == lost.keyring.device })
        let fromHub = try team.hub.batch(missingFrom: VersionVector())
        #expect(fromHub.closures.map(\.device) == [lost.keyring.device])
        #expect(throws: StoreError.self) {
            try newcomer.apply(remote: fromHub.changes.filter { $0.origin == lost.keyring.device })
        }
        var session = try SimulatedSession(initiator: newcomer, responder: team.hub)
        let outcome = try await session.run()
        #expect(outcome.initiator == .completed && outcome.responder == .completed)
        #expect(try newcomer.listPersons().count == 1, "the closure came in the session's batch")
        #expect(try newcomer.versionVector == team.hub.versionVector)
    }
}
