import RelaisCore
import RelaisCrypto
import RelaisStore
import RelaisSync

/// Two `SyncSession`s between two replicas over a simulated connection, run by the production
/// `SessionRunner`: frames are ferried in memory, and the connection can be cut after any number
/// of frames. The replicas need no team: each accepts the other as it is.
public struct SimulatedSession {
    public struct Outcome {
        public var initiator: CloseReason?
        public var responder: CloseReason?
        public var statistics: SessionStatistics
    }

    private final class Side {
        var runner: SessionRunner<BareReplicaNode>
        var inbox: [[UInt8]] = []
        var closeReason: CloseReason?

        init(role: SyncSession.Role, replica: Replica) throws {
            let session = try SyncSession(
                role: role, staticKey: .generate(), localHello: PeerHello(certificate: nil, rosterVersion: 0))
            runner = SessionRunner(session, port: BareReplicaNode(replica: replica))
        }
    }

    private let sides: [Side]

    public init(initiator: Replica, responder: Replica) throws {
        sides = [try Side(role: .initiator, replica: initiator), try Side(role: .responder, replica: responder)]
    }

    /// Runs until both sides close, or until `framesMax` frames were delivered and the connection is cut.
    /// - Parameter replayed: the number of a frame delivered twice, as an attacker on the path would.
    public mutating func run(framesMax: Int = .max, replayed: Int? = nil) async throws -> Outcome {
        try await carryOut(side: 0) { runner, send in try await runner.start(send: send) }
        var delivered = 0
        while sides.contains(where: { !$0.inbox.isEmpty }) && delivered < framesMax {
            for index in sides.indices where !sides[index].inbox.isEmpty {
                let frame = sides[index].inbox.removeFirst()
                delivered += 1
                if delivered == replayed { sides[index].inbox.insert(frame, at: 0) }
                try await carryOut(side: index) { runner, send in try await runner.receive(frame, send: send) }
            }
        }
        for index in sides.indices where sides[index].closeReason == nil {
            try await carryOut(side: index) { runner, send in try await runner.connectionClosed(send: send) }
        }
        return Outcome(
            initiator: sides[0].closeReason, responder: sides[1].closeReason, statistics: sides[0].runner.session.statistics)
    }

    private func carryOut(
        side index: Int,
        _ body: (inout SessionRunner<BareReplicaNode>, ([UInt8]) async throws -> Void) async throws
            -> SessionStep
    ) async throws {
        let side = sides[index]
        let other = sides[1 - index]
        var runner = side.runner
        let step = try await body(&runner) { frame in
            if other.closeReason == nil { other.inbox.append(frame) }
        }
        side.runner = runner
        if case .closed(let reason) = step {
            side.closeReason = reason
            side.inbox.removeAll()
        }
    }
}

/// A replica outside any team, as a session's node: it accepts every peer, holds everything, and
/// applies batches as `LocalNode` does, in one transaction.
private struct BareReplicaNode: SyncDelegate, @unchecked Sendable {
    let replica: Replica

    func verify(_ hello: PeerHello, noiseKey: [UInt8]) async -> PeerVerdict {
        do {
            return .accept(
                localVector: try replica.versionVector, roster: nil,
                awaiting: try replica.awaitingPersons(limit: RelaisSync.Limits.fillPersonsMax))
        } catch {
            return .refuse(Refusal(.busy, "\(error)"), roster: nil)
        }
    }

    func loadChanges(missingFrom vector: VersionVector, for peer: DeviceID?, changesMax: Int, bytesMax: Int) async throws
        -> ChangeBatch
    {
        try replica.batch(missingFrom: vector, changesMax: changesMax, bytesMax: bytesMax)
    }

    func apply(_ batch: ChangeBatch) async throws -> BatchApplied {
        let outcomes = try replica.apply(remote: batch)
        return BatchApplied(outcomes: outcomes, vector: try replica.versionVector)
    }

    func loadFill(of persons: [RecordID], for peer: DeviceID?, bytesMax: Int) async throws -> [Change] {
        try replica.fillChanges(of: persons, for: .everything, bytesMax: bytesMax)
    }

    func applyFill(_ changes: [Change]) async throws { try replica.fill(changes) }
    func adoptRoster(_ roster: [UInt8]) async {}
    func peerHolds(_ vector: VersionVector, device: DeviceID) async {}

    func certifyKeyChange(_ request: KeyChangeRequest, peer: DeviceID) async throws -> EnrolmentGrant {
        throw Refusal(.protocolViolation, "no admin in a simulated session")
    }

    func keyChanged(_ grant: EnrolmentGrant) async {}
}
