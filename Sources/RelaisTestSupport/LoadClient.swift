import RelaisCore
import RelaisDaemon
import RelaisStore
import RelaisSync

/// A field client for load tests on a hub: a real initiating `SyncSession` over TCP, pushing
/// what its in-memory replica wrote, but only counting what it pulls (the hub is what is under
/// test, and one test process cannot apply a hundred laptops' pulls at the speed they arrive).
///
/// It claims to hold `alsoHeld` already (other clients' writes, as if laptops had met), so each
/// session pulls the hub's own changes and nothing else.
public actor LoadClient: SyncDelegate {
    public nonisolated let device: DeviceID
    private let replica: Replica
    private let alsoHeld: VersionVector
    private var received = VersionVector()

    public init(replica: Replica, alsoHeld: VersionVector) {
        device = replica.keyring.device
        self.replica = replica
        self.alsoHeld = alsoHeld
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
        let session = try SyncSession(
            role: .initiator, staticKey: replica.keyring.noiseKey, localHello: try SessionAdmission.hello(of: replica))
        let (reason, statistics) = await SessionDriver.runSync(session, over: channel, delegate: self)
        return Session(
            reason: reason, changesSent: statistics.changesSent, changesReceived: statistics.changesReceived,
            duration: ContinuousClock.now - started)
    }

    public func verify(_ hello: PeerHello, noiseKey: [UInt8]) async -> PeerVerdict {
        .accept(localVector: (try? held()) ?? VersionVector(), roster: nil)
    }

    public func loadChanges(missingFrom vector: VersionVector, changesMax: Int, bytesMax: Int) async throws -> [Change] {
        try replica.changes(missingFrom: vector, changesMax: changesMax, bytesMax: bytesMax)
    }

    public func apply(_ changes: [Change]) async throws -> VersionVector {
        for change in changes { received.raise(change.origin, to: change.sequence) }
        return try held()
    }

    public func adoptRoster(_ roster: [UInt8]) async {}
    public func peerHolds(_ vector: VersionVector, device: DeviceID) async {}
    public func certifyKeyChange(_ request: KeyChangeRequest, peer: DeviceID) async throws -> EnrolmentGrant {
        throw StoreError.invalidWrite("a field client certifies nothing")
    }
    public func keyChanged(_ grant: EnrolmentGrant) async {}

    private func held() throws -> VersionVector {
        try replica.versionVector.merging(alsoHeld).merging(received)
    }
}
