import RelaisCore
import RelaisCrypto
import RelaisDaemon
import RelaisStore
import RelaisSync
import RelaisTransport

/// A field client for load tests on a hub: a real initiating `SyncSession` over TCP, pushing
/// the changes a replica wrote, but only counting what it pulls (the hub is what is under test,
/// and one test process can neither apply a hundred laptops' pulls at the speed they arrive nor
/// hold a hundred replicas' keys in guarded memory).
///
/// It claims to hold `alsoHeld` already (other clients' writes, as if laptops had met), so each
/// session pulls the hub's own changes and nothing else.
public actor LoadClient: SyncDelegate {
    public nonisolated let device: DeviceID
    private let noiseKey: X25519KeyPair
    private let hello: PeerHello
    private let written: [Change]
    /// What the client holds: what it wrote, what it claims, and what it pulled.
    public private(set) var held: VersionVector

    /// - Parameter replica: an enrolled replica whose own changes the client pushes; it is not kept.
    public init(replica: Replica, alsoHeld: VersionVector) throws {
        device = replica.keyring.device
        noiseKey = replica.keyring.noiseKey
        hello = try SessionAdmission.hello(of: replica)
        written = try replica.changes(missingFrom: VersionVector()).filter { $0.origin == replica.keyring.device }
        held = try replica.versionVector.merging(alsoHeld)
    }

    /// What one session did, as the client saw it.
    public struct Session: Sendable {
        public let reason: CloseReason
        public var completed: Bool { reason == .completed }
        public let changesSent: Int
        public let changesReceived: Int
        public let duration: Duration
    }

    /// One sync session with the hub at `port` on loopback.
    public func sync(port: Int) async throws -> Session {
        let started = ContinuousClock.now
        let channel = try await SyncTransport.connect(host: "127.0.0.1", port: port)
        let session = try SyncSession(role: .initiator, staticKey: noiseKey, localHello: hello)
        let (reason, statistics) = await SessionDriver.runSync(session, over: channel, port: self)
        return Session(
            reason: reason, changesSent: statistics.changesSent, changesReceived: statistics.changesReceived,
            duration: ContinuousClock.now - started)
    }

    public func verify(_ hello: PeerHello, noiseKey: [UInt8]) async -> PeerVerdict {
        .accept(localVector: held, roster: nil, awaiting: [])
    }

    public func loadChanges(missingFrom vector: VersionVector, for peer: DeviceID?, changesMax: Int, bytesMax: Int)
        async throws -> ChangeBatch
    {
        var changes: [Change] = []
        var bytes = 0
        for change in written where change.sequence > vector[change.origin] && changes.count < changesMax {
            let size = change.encoded.count
            if !changes.isEmpty && bytes + size > bytesMax { break }
            bytes += size
            changes.append(change)
        }
        return ChangeBatch(changes)
    }

    public func apply(_ batch: ChangeBatch) async throws -> BatchApplied {
        for change in batch.changes { held.raise(change.origin, to: change.sequence) }
        return BatchApplied(outcomes: batch.changes.map { _ in .applied }, vector: held)
    }

    public func loadFill(of persons: [RecordID], for peer: DeviceID?, bytesMax: Int) async throws -> [Change] { [] }
    public func applyFill(_ changes: [Change]) async throws {}
    public func adoptRoster(_ roster: [UInt8]) async {}
    public func peerHolds(_ vector: VersionVector, device: DeviceID) async {}
    public func certifyKeyChange(_ request: KeyChangeRequest, peer: DeviceID) async throws -> EnrolmentGrant {
        throw StoreError.invalidWrite("a field client certifies nothing")
    }
    public func keyChanged(_ grant: EnrolmentGrant) async {}
}
