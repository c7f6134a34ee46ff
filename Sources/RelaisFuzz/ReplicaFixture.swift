import RelaisCore
import RelaisCrypto
import RelaisStore

/// A hub that created a team and enrolled a field device whose signing key the harness holds, so
/// a fuzzed change can be signed as that device's and reach every check behind the signature.
/// Each input gets a fresh copy of one prepared hub (`make()`): an input's outcome never depends
/// on the ones before it, and an input costs a page copy, not a team's creation.
struct ReplicaFixture {
    static let device = DeviceID(Identifier128(high: 0x4655_5A5A, low: 1))
    /// The time every replica of the harness reads: an input's outcome never depends on when it runs.
    static let clock: @Sendable () -> WallTime = { WallTime(milliseconds: 1_790_000_000_000) }
    let hub: Replica
    private let signer: SigningKey

    /// Made once; copies are taken under the database queue, so test cases may share it.
    nonisolated(unsafe) private static let prepared = Result { try ReplicaFixture() }

    /// The prepared hub itself, for what only reads it (opening a bundle with its keys).
    static func shared() throws -> ReplicaFixture { try prepared.get() }

    /// A fresh copy of the prepared hub.
    static func make() throws -> ReplicaFixture {
        let prepared = try prepared.get()
        return ReplicaFixture(hub: try prepared.hub.inMemoryCopy(), signer: prepared.signer)
    }

    private init(hub: Replica, signer: SigningKey) {
        self.hub = hub
        self.signer = signer
    }

    private init() throws {
        signer = SigningKey.generate()
        hub = try Replica.inMemory(keyring: .generate(deviceName: "hub"), wallClock: Self.clock)
        _ = try hub.createTeam()
        let token = try hub.createInvite(role: .field, name: "fuzz", validFor: .seconds(3_600))
        _ = try hub.enrol(
            tokenID: try Replica.parseToken(token).id,
            identity: EnrolmentIdentity(device: Self.device, name: "fuzz", signingKey: signer.publicKey),
            noiseKey: X25519KeyPair.generate().publicKey)
    }

    /// `change` as the enrolled device would have signed it: its origin, in its own dependencies too.
    func signedByDevice(_ change: Change) -> Change {
        var dependencies = change.header.dependencies
        let own = dependencies[change.origin]
        dependencies = VersionVector(dependencies.entries.filter { $0.key != change.origin })
        dependencies.raise(Self.device, to: own)
        let header = ChangeHeader(
            origin: Self.device, sequence: change.sequence, timestamp: change.timestamp, dependencies: dependencies)
        let message = Change.signingBytes(header: header, slots: change.slots, digest: Change.operationDigest)
        return Change(header: header, slots: change.slots, signature: signer.sign(message))
    }

    /// What a field device writes in a morning: persons, a visit, a referral, an update, an erasure.
    static func sampleChanges() throws -> [Change] {
        let hub = try Replica.inMemory(keyring: .generate(deviceName: "hub"), wallClock: Self.clock)
        _ = try hub.createTeam()
        let keyring = Keyring.generate(deviceName: "writer")
        let writer = try Replica.inMemory(keyring: keyring, wallClock: Self.clock)
        let token = try hub.createInvite(role: .field, name: "writer", validFor: .seconds(3_600))
        try writer.join(
            try hub.enrol(
                tokenID: try Replica.parseToken(token).id,
                identity: EnrolmentIdentity(device: keyring.device, name: "writer", signingKey: keyring.signingPublicKey),
                noiseKey: keyring.noiseKey.publicKey))
        let person = try writer.addPerson([
            FieldAssignment("family_name", [.text("Dubois")]), FieldAssignment("given_names", [.text("Léa")]),
            FieldAssignment("birth_date", [.date(PartialDate(year: 1987, month: 3, day: 0))]),
        ]).hex
        try writer.addLinkedRecord(
            type: "visit", person: person,
            [
                FieldAssignment("date", [.date(PartialDate(year: 2026, month: 11, day: 2))]),
                FieldAssignment("kind", [.enumeration("interview")]),
            ])
        try writer.addLinkedRecord(
            type: "referral", person: person,
            [FieldAssignment("to", [.enumeration("cegidd")]), FieldAssignment("status", [.enumeration("proposed")])])
        try writer.updatePerson(
            person,
            [
                FieldAssignment("given_names", [.text("Lea")]), FieldAssignment("housing", [.enumeration("street")]),
                FieldAssignment("birth_date", nil),
            ])
        _ = try writer.erase(try writer.addPerson([FieldAssignment("family_name", [.text("Erased")])]).hex)
        return try writer.changes(missingFrom: VersionVector()).filter { $0.origin == keyring.device }
    }
}
