import RelaisCore
import RelaisCrypto
import RelaisHarness
import RelaisStore

/// A hub that created a team and in-memory devices it enrolled, exchanging rosters and changes
/// the way sessions do, without a network.
public final class EnrolledTeam {
    public let hub: Replica
    public let clock: ManualWallClock
    private let makeIdentifier: () -> Identifier128

    /// - Parameter makeIdentifier: where device, team and record ids come from (seeded, for a
    ///   simulation that must replay exactly).
    public init(
        clock: ManualWallClock = ManualWallClock(milliseconds: 1_790_000_000_000),
        makeIdentifier: @escaping () -> Identifier128 = RandomBytes.identifier
    ) throws {
        self.clock = clock
        self.makeIdentifier = makeIdentifier
        hub = try Replica.inMemory(
            keyring: .generate(deviceName: "hub", device: DeviceID(makeIdentifier())), wallClock: clock.read,
            makeIdentifier: makeIdentifier)
        _ = try hub.createTeam()
    }

    /// A new device, enrolled by the hub with a fresh invite; `clock` is its own (a laptop's
    /// clock may be wrong), the hub's by default.
    public func enrol(_ name: String, clock: ManualWallClock? = nil) throws -> Replica {
        let keyring = Keyring.generate(deviceName: name, device: DeviceID(makeIdentifier()))
        let device = try Replica.inMemory(
            keyring: keyring, wallClock: (clock ?? self.clock).read, makeIdentifier: makeIdentifier)
        try device.join(try hub.enrolDirectly(keyring))
        return device
    }

    /// What a session from `source` to `target` hands over: the roster if newer, then the changes.
    @discardableResult
    public func deliver(from source: Replica, to target: Replica) throws -> RosterAdoption {
        let adoption = try target.adoptRoster(try source.teamState!.roster.encoded)
        guard adoption != .revokedThisDevice else { return adoption }
        // Redacted for the target's care teams, as a session does (SPEC.md §14).
        let batch = try source.batch(
            missingFrom: try target.versionVector, for: try source.scopeReader(of: target.keyring.device))
        try target.apply(remote: batch)
        return adoption
    }

    /// Only the changes, as a relay or a thief holding a copy of them could hand them over.
    public func deliverChanges(from source: Replica, to target: Replica) throws {
        for change in try source.changes(missingFrom: try target.versionVector) { try target.apply(remote: change) }
    }
}
