import RelaisCore
import RelaisCrypto
import RelaisStore
import RelaisSync

/// Two `SyncSession`s between two replicas over a simulated connection: frames are ferried in
/// memory, and the connection can be cut after any number of frames.
public struct SimulatedSession {
    public struct Outcome {
        public var initiator: CloseReason?
        public var responder: CloseReason?
        public var statistics: SessionStatistics
    }

    private struct Side {
        var session: SyncSession
        let replica: Replica
        var inbox: [[UInt8]] = []
        var closeReason: CloseReason?
    }

    private var sides: [Side]

    public init(initiator: Replica, responder: Replica) throws {
        sides = [
            Side(
                session: try SyncSession(
                    role: .initiator, staticKey: .generate(), localHello: PeerHello(certificate: nil, rosterVersion: 0)),
                replica: initiator),
            Side(
                session: try SyncSession(
                    role: .responder, staticKey: .generate(), localHello: PeerHello(certificate: nil, rosterVersion: 0)),
                replica: responder),
        ]
    }

    /// Runs until both sides close, or until `framesMax` frames were delivered and the connection is cut.
    /// - Parameter replayed: the number of a frame delivered twice, as an attacker on the path would.
    public mutating func run(framesMax: Int = .max, replayed: Int? = nil) throws -> Outcome {
        try perform(sides[0].session.start(), side: 0)
        var delivered = 0
        while sides.contains(where: { !$0.inbox.isEmpty }) && delivered < framesMax {
            for index in sides.indices where !sides[index].inbox.isEmpty {
                let frame = sides[index].inbox.removeFirst()
                delivered += 1
                if delivered == replayed { sides[index].inbox.insert(frame, at: 0) }
                try perform(sides[index].session.receive(frame), side: index)
            }
        }
        for index in sides.indices where sides[index].closeReason == nil {
            try perform(sides[index].session.connectionClosed(), side: index)
        }
        return Outcome(initiator: sides[0].closeReason, responder: sides[1].closeReason, statistics: sides[0].session.statistics)
    }

    private mutating func perform(_ actions: [SessionAction], side index: Int) throws {
        for action in actions {
            let replica = sides[index].replica
            switch action {
            case .send(let frame):
                if sides[1 - index].closeReason == nil { sides[1 - index].inbox.append(frame) }
            case .verifyPeer:
                try perform(
                    sides[index].session.peerAccepted(
                        localVector: try replica.versionVector, roster: nil, awaiting: try replica.awaitingPersons(limit: 64)),
                    side: index)
            case .loadChanges(let vector, _, let changesMax, let bytesMax):
                let batch = try replica.batch(missingFrom: vector, changesMax: changesMax, bytesMax: bytesMax)
                try perform(sides[index].session.changesLoaded(batch), side: index)
            case .loadFill(let persons, _, let bytesMax):
                let changes = try replica.fillChanges(of: persons, for: .everything, bytesMax: bytesMax)
                try perform(sides[index].session.fillLoaded(changes), side: index)
            case .applyFill(let changes):
                try replica.fill(changes)
                try perform(sides[index].session.fillApplied(), side: index)
            case .applyChanges(let batch):
                do {
                    try replica.apply(remote: batch)
                    try perform(sides[index].session.changesApplied(vector: try replica.versionVector), side: index)
                } catch {
                    try perform(sides[index].session.applyFailed(reason: "\(error)"), side: index)
                }
            case .adoptRoster, .peerHolds, .compareHeads, .keyChanged:
                break
            case .certifyKeyChange:
                try perform(sides[index].session.keyChangeRefused(reason: "no admin in a simulated session"), side: index)
            case .close(let reason):
                sides[index].closeReason = reason
                sides[index].inbox.removeAll()
            }
        }
    }
}
