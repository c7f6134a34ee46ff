import RelaisCore
import RelaisHarness
import RelaisStore
import RelaisTestSupport
import Testing

/// A revocation keeps valid what the admin node held of the device and voids the rest, on every
/// node whatever the order it learns things in (SPEC.md §10).
@Suite struct RevocationBoundTests {
    /// A laptop whose clock ran an hour ahead synced its visits, then was lost and revoked: those
    /// visits are stamped after the revocation, and stay valid everywhere.
    @Test func writesTheAdminHeldStayValidWhateverTheirTime() throws {
        let team = try EnrolledTeam()
        let ahead = ManualWallClock(milliseconds: team.clock.now.milliseconds + 3_600_000)
        let (lost, other) = (try team.enrol("lost", clock: ahead), try team.enrol("other"))
        let person = try lost.addPerson(["family_name=Diallo"])
        _ = try lost.addLinkedRecord(type: "visit", person: person.hex, set: ["kind=home_visit"])
        try team.deliver(from: lost, to: team.hub)
        _ = try team.hub.revokeDevice(lost.keyring.device.hex)
        try team.deliver(from: team.hub, to: other)
        #expect(try other.listPersons().map(\.id) == [person.hex])
        #expect(try other.snapshot() == team.hub.snapshot())
    }

    /// A relay took the lost laptop's erasure and new person before it learnt of the revocation;
    /// on learning it, the person comes back (filled from the hub) and the new one goes.
    @Test func aRelayThatTookLateChangesEndsAsTheHubDoes() throws {
        let team = try EnrolledTeam()
        let (lost, relay) = (try team.enrol("lost"), try team.enrol("relay"))
        let person = try lost.addPerson(["family_name=Diallo"])
        try team.deliver(from: lost, to: team.hub)
        try team.deliver(from: team.hub, to: relay)
        _ = try relay.updatePerson(person.hex, set: ["birth_date=1985"], unset: [])
        try team.deliver(from: relay, to: team.hub)
        _ = try lost.erase(person.hex)
        let late = try lost.addPerson(["family_name=Nguyen"])
        try team.deliverChanges(from: lost, to: relay)
        #expect(try relay.listPersons().map(\.id) == [late.hex])

        _ = try team.hub.revokeDevice(lost.keyring.device.hex)
        try team.deliver(from: team.hub, to: relay)
        let awaiting = try relay.awaitingPersons(limit: 10)
        #expect(awaiting == [person], "the erasure is taken back; the file awaits a copy")
        try relay.fill(
            try team.hub.fillChanges(of: awaiting, for: team.hub.scopeReader(of: relay.keyring.device), bytesMax: 1 << 20))
        try team.deliver(from: relay, to: team.hub)
        #expect(try relay.versionVector == team.hub.versionVector)
        #expect(try relay.listPersons().map(\.id) == [person.hex])
        #expect(try relay.snapshot() == team.hub.snapshot())
    }
}
