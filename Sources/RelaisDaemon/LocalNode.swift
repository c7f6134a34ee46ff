import Logging
import RelaisCore
import RelaisCrypto
import RelaisStore
import RelaisSync

/// The node's replica behind an actor: every write, and the sessions' reads of the change log, go
/// through it one at a time; reads of persons' files (`views`) run beside them.
public actor LocalNode: SyncDelegate, EnrolmentDelegate {
    let replica: Replica
    /// Persons' files, lists, searches and histories, read on the database's reader connections
    /// without waiting for the actor: a page shown while a session applies a batch.
    public nonisolated let views: PersonViews
    /// The activity report, read beside the writer like `views`.
    public nonisolated let reports: ActivityReports
    /// Checks a passphrase against the keyring file without the actor (Argon2id takes a while).
    public nonisolated let unlockCheck: UnlockCheck?
    private let wallClock: @Sendable () -> WallTime
    /// What changed in the replica: published by its sessions here, and for every write to its
    /// folder once the store service watches it (`FolderWatch`).
    public nonisolated let events = StoreEvents()

    /// A node over a replica already open, which it owns from now on (the simulation's, in memory).
    package init(replica: sending Replica, wallClock: @escaping @Sendable () -> WallTime) {
        self.replica = replica
        views = replica.views
        reports = replica.reports
        unlockCheck = replica.unlockCheck
        self.wallClock = wallClock
    }

    /// Opens the replica in `folder`.
    /// - Throws: `StoreError` (not initialised, wrong passphrase).
    public init(folder: String, unlock: KeyringUnlock, wallClock: @escaping @Sendable () -> WallTime = SystemClock.now)
        throws
    {
        replica = try Replica.open(folder: folder, unlock: unlock, wallClock: wallClock)
        views = replica.views
        reports = replica.reports
        unlockCheck = replica.unlockCheck
        self.wallClock = wallClock
    }

    public var device: DeviceID { replica.keyring.device }
    public var noiseKey: X25519KeyPair { replica.keyring.noiseKey }

    /// The Hello this node presents in handshakes.
    public func hello() throws -> PeerHello { try SessionAdmission.hello(of: replica) }

    public func teamID() throws -> TeamID? { try replica.teamState?.team }

    public func identity() -> EnrolmentIdentity {
        EnrolmentIdentity(
            device: replica.keyring.device, name: replica.keyring.deviceName, signingKey: replica.keyring.signingPublicKey)
    }

    public func versionVector() throws -> VersionVector { try replica.versionVector }

    /// This device, its team, its peers and its last sync, as `relais status` shows them.
    public func status() throws -> NodeStatus { try NodeStatus(replica: replica) }

    /// This node holds the team's admin key: it alone invites, revokes and rotates (a standby hub
    /// has the hub role without it).
    public var isAdminNode: Bool { replica.isAdminNode }

    /// The team's devices, with their names, as the admin lists them.
    public func devices() throws -> [DeviceListing] { try replica.devices() }

    /// Writes fields of a person's file (the app's forms), as one signed change.
    public func updatePerson(_ id: String, _ assignments: [FieldAssignment]) throws { try replica.updatePerson(id, assignments) }

    /// Creates a person's file in this device's care teams; returns its id.
    public func addPerson(_ assignments: [FieldAssignment]) throws -> RecordID { try replica.addPerson(assignments) }

    /// Adds a visit, referral or appointment to a person's file; returns its id.
    public func addLinkedRecord(type: String, person: String, _ assignments: [FieldAssignment]) throws -> RecordID {
        try replica.addLinkedRecord(type: type, person: person, assignments)
    }

    /// Corrects a visit, referral or appointment written before.
    public func updateLinkedRecord(_ id: String, type: String, _ assignments: [FieldAssignment]) throws {
        try replica.updateLinkedRecord(id, type: type, assignments)
    }

    /// Adds a partner to the directory, a collective session or a request; returns its id.
    public func addOrganisationRecord(type: String, _ assignments: [FieldAssignment]) throws -> RecordID {
        try replica.addOrganisationRecord(type: type, assignments)
    }

    /// Corrects a record of the organisation written before.
    public func updateOrganisationRecord(_ id: String, type: String, _ assignments: [FieldAssignment]) throws {
        try replica.updateOrganisationRecord(id, type: type, assignments)
    }

    /// Shows `duplicate`'s file and records under `keep`; undone by `unmerge`.
    public func merge(keep: String, duplicate: String) throws { try replica.merge(keep: keep, duplicate: duplicate) }

    /// Gives a merged duplicate its own file back.
    public func unmerge(_ duplicate: String) throws { try replica.unmerge(duplicate) }

    /// Erases a person at their request (GDPR), here and on every replica the erasure reaches.
    @discardableResult
    public func erase(_ person: String) throws -> [RecordID] { try replica.erase(person) }

    /// A one-time enrolment token for a new device (the admin node only).
    public func createInvite(role: DeviceCertificate.Role, name: String, validFor: Duration) throws -> String {
        try replica.createInvite(role: role, name: name, validFor: validFor)
    }

    /// Revokes a lost or stolen device (the admin node only).
    public func revokeDevice(_ id: String) throws { _ = try replica.revokeDevice(id) }

    /// Gives a device these care teams (the admin node only).
    public func assignCareTeams(_ id: String, _ teams: Set<CareTeam>) throws { _ = try replica.assignCareTeams(id, teams) }

    /// Gives the team a new key, which revoked devices never get (the admin node only).
    public func rotateTeamKey() throws { _ = try replica.rotateTeamKey() }

    /// Settles a field in conflict with one value (or clears it), as one signed change.
    public func resolveConflict(record: String, _ value: FieldAssignment) throws {
        try replica.resolveConflict(record: record, value)
    }

    public func verify(_ hello: PeerHello, noiseKey: [UInt8]) async -> PeerVerdict {
        do {
            return try SessionAdmission.verdict(on: hello, noiseKey: noiseKey, replica: replica, now: wallClock())
        } catch {
            return .refuse(Refusal(.busy, "this node cannot read its replica: \(error)"), roster: nil)
        }
    }

    public func loadChanges(missingFrom vector: VersionVector, for peer: DeviceID?, changesMax: Int, bytesMax: Int)
        async throws -> ChangeBatch
    {
        try replica.batch(missingFrom: vector, for: replica.scopeReader(of: peer), changesMax: changesMax, bytesMax: bytesMax)
    }

    public func loadFill(of persons: [RecordID], for peer: DeviceID?, bytesMax: Int) async throws -> [Change] {
        try replica.fillChanges(of: persons, for: replica.scopeReader(of: peer), bytesMax: bytesMax)
    }

    public func applyFill(_ changes: [Change]) async throws {
        let rebuilt = try replica.fill(changes)
        if !rebuilt.isEmpty { events.publish(.filled(persons: rebuilt)) }
    }

    /// Persons in this device's scope whose files still lack operations.
    func awaitingPersons() -> Set<RecordID> {
        Set((try? replica.awaitingPersons(limit: RelaisSync.Limits.fillPersonsMax)) ?? [])
    }

    /// Applies a batch in one transaction. Changes a revoked device signed after its revocation
    /// are voided, not fatal: a relay that took them before learning of the revocation must still
    /// be able to sync.
    public func apply(_ batch: ChangeBatch) async throws -> BatchApplied {
        let started = ContinuousClock.now
        let changes = batch.changes
        let outcomes = try replica.apply(remote: batch)
        NodeMetrics.applied(outcomes, in: ContinuousClock.now - started, pending: try replica.pendingCount)
        for (change, outcome) in zip(changes, outcomes) where outcome == .equivocation {
            logger?.warning(
                "equivocation: a second change under a number already held was refused and kept aside",
                metadata: ["origin": "\(change.origin)", "sequence": "\(change.sequence)"])
        }
        let vector = try replica.versionVector
        if outcomes.contains(where: { $0 != .alreadyApplied }) { events.publish(.applied(vector: vector)) }
        return BatchApplied(outcomes: outcomes, vector: vector)
    }

    public func adoptRoster(_ roster: [UInt8]) async {
        switch try? replica.adoptRoster(roster) {
        case .revokedThisDevice?:
            isRevoked = true
            events.publish(.revoked)
        case .adopted?: events.publish(.rosterAdopted)
        default: break
        }
    }

    /// Moves the write-ahead log into the database file, once the daemon has stopped its services.
    func checkpoint() {
        do { try replica.checkpoint() } catch {
            logger?.warning("cannot checkpoint the replica", metadata: ["error": "\(error)"])
        }
    }

    /// Set once this device learnt its own revocation and destroyed its keyring.
    public private(set) var isRevoked = false

    public func compareHeads(_ heads: [ChangeHead], peer: DeviceID?) async {
        let found = (try? replica.compareHeads(heads, peer: peer)) ?? 0
        if found > 0 {
            logger?.warning(
                "equivocation: a device signed two changes under one number ('relais status' says which)",
                metadata: ["peer": "\(peer.map(\.description) ?? "unknown")", "numbers": "\(found)"])
        }
    }

    /// Where the daemon's warnings go; one-shot commands have none.
    private var logger: Logger?

    public func log(to logger: Logger) { self.logger = logger }

    public func peerHolds(_ vector: VersionVector, device: DeviceID) async {
        try? replica.rememberVector(vector, of: device)
    }

    public func certifyKeyChange(_ request: KeyChangeRequest, peer: DeviceID) async throws -> EnrolmentGrant {
        try replica.certifyKeyChange(request, from: peer)
    }

    public func keyChanged(_ grant: EnrolmentGrant) async {
        keyChange = Result { () throws(StoreError) in
            try replica.completeKeyChange(grant)
            return grant.certificate
        }
    }

    func keyChangeRequest() throws -> KeyChangeRequest { try replica.keyChangeRequest() }

    /// The new certificate once the admin's answer was taken.
    /// - Throws: `StoreError` when the answer did not verify, `DaemonError` when none came.
    func keyChangeOutcome() throws -> DeviceCertificate {
        guard let keyChange else { throw DaemonError.keyChangeUnanswered }
        return try keyChange.get()
    }

    private var keyChange: Result<DeviceCertificate, StoreError>?

    public func preSharedKey(tokenID: [UInt8]) async -> Result<SecureBytes, Refusal> {
        do {
            return .success(try replica.invitePreSharedKey(tokenID: tokenID))
        } catch {
            return .failure(Self.enrolmentRefusal(error))
        }
    }

    /// - Throws: the `Refusal` the device is sent.
    public func enrol(tokenID: [UInt8], identity: EnrolmentIdentity, noiseKey: [UInt8]) async throws -> EnrolmentGrant {
        do {
            return try replica.enrol(tokenID: tokenID, identity: identity, noiseKey: noiseKey)
        } catch {
            throw Self.enrolmentRefusal(error)
        }
    }

    /// A token the hub will not take is `BAD_TOKEN`; an id the team knows is a device breaking
    /// the protocol (ids are fresh random bytes); anything else is the hub's own trouble.
    private static func enrolmentRefusal(_ error: StoreError) -> Refusal {
        switch error {
        case .unusableInvite: Refusal(.badToken, error.description)
        case .deviceIDTaken: Refusal(.protocolViolation, error.description)
        default: Refusal(.busy, "the hub cannot enrol devices now: \(error)")
        }
    }

    func join(_ grant: EnrolmentGrant) throws { try replica.join(grant) }

    func recordSession(address: String, device: DeviceID?, reason: CloseReason, statistics: SessionStatistics) {
        NodeMetrics.session(ended: reason)
        let succeeded = reason == .completed
        try? replica.recordSession(
            address: address, device: device, succeeded: succeeded, error: succeeded ? "" : reason.description,
            changesSent: statistics.changesSent, changesReceived: statistics.changesReceived)
    }
}
