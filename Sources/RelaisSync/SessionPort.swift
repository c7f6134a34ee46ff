import RelaisCore
import RelaisCrypto

/// What a sync session needs from the node that runs it: the daemon implements it on the store.
public protocol SyncDelegate: Sendable {
    func verify(_ hello: PeerHello, noiseKey: [UInt8]) async -> PeerVerdict
    /// Changes `vector` lacks, redacted for `peer`'s scope (nil: a peer without certificate).
    /// With them, the closures of the pruned devices among their origins.
    func loadChanges(missingFrom vector: VersionVector, for peer: DeviceID?, changesMax: Int, bytesMax: Int) async throws
        -> ChangeBatch
    /// Keeps the batch's closures, verifies and applies its changes in one transaction; returns
    /// what became of each and the new local vector.
    func apply(_ batch: ChangeBatch) async throws -> BatchApplied
    /// The stored changes carrying operations of `persons`, redacted for `peer` (SPEC.md §14).
    func loadFill(of persons: [RecordID], for peer: DeviceID?, bytesMax: Int) async throws -> [Change]
    /// Fills awaited persons' operations from a peer's copies of changes held here.
    func applyFill(_ changes: [Change]) async throws
    func adoptRoster(_ roster: [UInt8]) async
    func peerHolds(_ vector: VersionVector, device: DeviceID) async
    /// Admin node: certifies the new keys `peer` asks for.
    func certifyKeyChange(_ request: KeyChangeRequest, peer: DeviceID) async throws -> EnrolmentGrant
    /// Device: takes the admin's answer to its key change.
    func keyChanged(_ grant: EnrolmentGrant) async
    /// Compares the changes the peer holds at the end of each origin with those held here
    /// (SPEC.md §11): a difference is an origin that signed two changes under one number.
    func compareHeads(_ heads: [ChangeHead], peer: DeviceID?) async
}

extension SyncDelegate {
    /// A node that keeps no history to compare ignores heads.
    public func compareHeads(_ heads: [ChangeHead], peer: DeviceID?) async {}
}

/// What a node made of a batch: each change's outcome, in the batch's order, and the vector it
/// holds after it, which the session acknowledges.
public struct BatchApplied: Sendable {
    /// The outcome of each change of the batch.
    public let outcomes: [ApplyOutcome]
    /// The node's version vector once the batch was applied.
    public let vector: VersionVector

    /// What a node made of a batch.
    public init(outcomes: [ApplyOutcome], vector: VersionVector) {
        self.outcomes = outcomes
        self.vector = vector
    }
}

/// What an enrolment needs from the hub.
public protocol EnrolmentDelegate: Sendable {
    /// The invite's pre-shared key, or why it cannot be used (`BAD_TOKEN`).
    func preSharedKey(tokenID: [UInt8]) async -> Result<SecureBytes, Refusal>
    /// Certifies the device; a `Refusal` thrown is sent to it as such.
    func enrol(tokenID: [UInt8], identity: EnrolmentIdentity, noiseKey: [UInt8]) async throws -> EnrolmentGrant
}

/// What the node decided about a peer's Hello.
public enum PeerVerdict: Sendable {
    /// - awaiting: persons whose files lack operations here, asked of the peer (SPEC.md §14).
    /// - heads: which change this node holds at the end of each origin, sent with the vector.
    case accept(localVector: VersionVector, roster: [UInt8]?, awaiting: [RecordID], heads: [ChangeHead] = [])
    /// Refuse, first sending the roster that explains it (a revoked device learns its revocation).
    case refuse(Refusal, roster: [UInt8]?)
}

/// The first byte of the initiator's first frame names the kind of session (SPEC.md §2), so the
/// responder knows which handshake to run.
public enum SessionKind: UInt8, Sendable {
    case sync = 1
    case enrolment = 2
}

/// How a served session went, for the logs.
public enum ServedSession: Sendable {
    case sync(CloseReason, SessionStatistics)
    case enrolment(CloseReason)
    case refused(String)
}
