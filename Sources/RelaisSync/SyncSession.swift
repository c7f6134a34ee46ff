import Foundation
import RelaisCore
import RelaisCrypto
import SwiftProtobuf

/// One authenticated sync session between two enrolled devices, as a pure state machine: frames
/// and results go in, actions come out. It reads no socket, clock or store (STYLE.md §2).
///
/// After a `Noise_XX` handshake carrying each side's `Hello`, both sides send their version
/// vector, then the changes the other lacks in bounded batches, each acknowledged with the
/// receiver's new vector; both directions run at once. Every change is committed by the receiver
/// as it arrives, so a cut connection loses at most the batches in flight, and the next session
/// resumes from the vectors.
public struct SyncSession {
    /// Which side opened the connection.
    public enum Role: Sendable { case initiator, responder }

    /// The Noise protocol of sync sessions.
    public static let protocolName = "Noise_XX_25519_ChaChaPoly_SHA256"
    /// The prologue names the protocol and its version: a peer of another version fails the handshake.
    public static let prologue = Array("relais/1 \(protocolName)".utf8)

    private enum State {
        case handshaking(NoiseHandshake)
        case verifying(NoiseTransport)
        case exchanging(NoiseTransport)
        case closed
    }

    /// Which side this session is.
    public let role: Role
    private let localHello: PeerHello
    /// Set on a device asking the admin for new keys: the session carries that, not changes.
    private let keyChange: KeyChangeRequest?
    private var state: State
    private var exchange = Exchange()
    /// What this side moved so far.
    public private(set) var statistics = SessionStatistics()

    /// - Parameters:
    ///   - staticKey: the device's Noise static key, certified in `localHello`.
    ///   - keyChange: for an initiator, a request for new keys to send instead of exchanging changes.
    public init(role: Role, staticKey: X25519KeyPair, localHello: PeerHello, keyChange: KeyChangeRequest? = nil)
        throws(HandshakeError)
    {
        self.role = role
        self.localHello = localHello
        self.keyChange = role == .initiator ? keyChange : nil
        let handshake = try NoiseHandshake(
            protocolName: Self.protocolName, isInitiator: role == .initiator, prologue: Self.prologue,
            keys: .init(localStatic: staticKey))
        state = .handshaking(handshake)
    }

    /// Whether the session ended.
    public var isClosed: Bool {
        if case .closed = state { true } else { false }
    }

    /// The first message, for the initiator; nothing for the responder.
    public mutating func start() -> [SessionAction] {
        guard role == .initiator, case .handshaking(var handshake) = state else { return [] }
        do {
            let message = try handshake.writeMessage(payload: [])
            state = .handshaking(handshake)
            return [send(message)]
        } catch {
            return close(.handshakeFailed(error.description))
        }
    }

    /// Feeds one frame's content.
    public mutating func receive(_ frame: [UInt8]) -> [SessionAction] {
        statistics.bytesReceived += frame.count + Limits.frameHeaderBytes
        switch state {
        case .handshaking(let handshake):
            return receiveHandshake(frame, handshake)
        case .verifying(var transport), .exchanging(var transport):
            do {
                let plaintext = try transport.open(frame)
                replaceTransport(transport)
                let envelope = try Relais_V1_Envelope(serializedBytes: plaintext)
                return receive(envelope)
            } catch let error as HandshakeError {
                return violation(error.description)
            } catch {
                return violation("an undecodable message")
            }
        case .closed:
            return []
        }
    }

    /// A frame read after our own write failed (the peer is closing): only its refusal and the
    /// roster explaining it matter. The rest is not checked against the exchange, which stopped
    /// with the failed write, so a batch still in flight is not mistaken for a protocol violation.
    public mutating func receiveAfterFailedWrite(_ frame: [UInt8]) -> [SessionAction] {
        switch state {
        case .verifying(var transport), .exchanging(var transport):
            guard let plaintext = try? transport.open(frame),
                let envelope = try? Relais_V1_Envelope(serializedBytes: plaintext)
            else { return [] }
            replaceTransport(transport)
            switch envelope.body {
            case .refusal(let refusal)?: return close(.refusedByPeer(Refusal(refusal)))
            case .roster(let roster)?: return [.adoptRoster([UInt8](roster.roster))]
            default: return []
            }
        case .handshaking, .closed:
            return []
        }
    }

    private mutating func receiveHandshake(_ frame: [UInt8], _ handshakeState: NoiseHandshake) -> [SessionAction] {
        var handshake = handshakeState
        do {
            let payload = try handshake.readMessage(frame)
            var actions: [SessionAction] = []
            if !handshake.isComplete {
                actions.append(send(try handshake.writeMessage(payload: try localHello.message.serializedBytes())))
            }
            if !payload.isEmpty {
                exchange.peerHello = try PeerHello(Relais_V1_Hello(serializedBytes: payload))
            }
            guard handshake.isComplete else {
                state = .handshaking(handshake)
                return actions
            }
            state = .verifying(handshake.transport())
            guard let hello = exchange.peerHello, let noiseKey = handshake.remoteStaticKey else {
                return actions + violation("the peer sent no Hello")
            }
            if let refusal = Self.versionRefusal(hello) { return actions + refuse(refusal) }
            return actions + [.verifyPeer(hello, noiseKey: noiseKey)]
        } catch let error as HandshakeError {
            return close(.handshakeFailed(error.description))
        } catch {
            return close(.handshakeFailed("the peer's Hello is malformed"))
        }
    }

    /// Either side may be the one too old: each checks both ways, so the operator of the older
    /// node reads, from either side, which version to upgrade to (SPEC.md §12).
    static func versionRefusal(_ hello: PeerHello) -> Refusal? {
        if hello.protocolVersion < Limits.protocolVersionMin {
            return incompatible(speaking: hello.protocolVersion, needing: Limits.protocolVersionMin)
        }
        if hello.protocolVersionMin > Limits.protocolVersion {
            return incompatible(speaking: Limits.protocolVersion, needing: hello.protocolVersionMin)
        }
        return nil
    }

    /// Worded for both sides: the refusal is read by the operator of either.
    private static func incompatible(speaking old: UInt32, needing needed: UInt32) -> Refusal {
        Refusal(
            .versionTooOld,
            "one side speaks protocol \(old), the other needs \(needed) or later: upgrade Relais on the side that speaks \(old)")
    }

    /// The driver accepted the peer: start the exchange.
    /// - Parameters:
    ///   - roster: the local roster, when the peer's is older.
    ///   - awaiting: persons whose files lack operations here, to ask the peer for (SPEC.md §14).
    ///   - heads: the change this node holds at the end of each origin, named with its vector.
    public mutating func peerAccepted(
        localVector: VersionVector, roster: [UInt8]?, awaiting: [RecordID] = [], heads: [ChangeHead] = []
    ) -> [SessionAction] {
        guard case .verifying(let transport) = state else { return [] }
        state = .exchanging(transport)
        statistics.peer = peerDevice
        var actions: [SessionAction] = []
        if let roster {
            var message = Relais_V1_Roster()
            message.roster = Data(roster)
            actions.append(contentsOf: sendEnvelope(.roster(message)))
        }
        if let keyChange {
            var message = Relais_V1_KeyChangeRequest()
            message.request = Data(keyChange.encoded)
            return actions + sendEnvelope(.keyChange(message))
        }
        // Before the vector, so the peer knows of it before it could run out of changes to send.
        if !awaiting.isEmpty, exchange.peerHello?.capabilities.contains(PeerHello.fillCapability) == true {
            var request = Relais_V1_FillRequest()
            request.persons = awaiting.prefix(Limits.fillPersonsMax).map { Data($0.value.bytes) }
            exchange.hasRequestedFill = true
            actions.append(contentsOf: sendEnvelope(.fillRequest(request)))
        }
        actions.append(contentsOf: sendEnvelope(.vector(localVector.message(heads: heads))))
        return actions
    }

    /// Admin node: the peer's new keys are certified; answer with the grant and end the session.
    public mutating func keyChangeCertified(_ grant: EnrolmentGrant) -> [SessionAction] {
        guard case .exchanging = state else { return [] }
        return sendEnvelope(.grant(grant.message)) + close(.completed)
    }

    /// Admin node: the key change was refused.
    public mutating func keyChangeRefused(reason: String) -> [SessionAction] {
        refuse(Refusal(.badCertificate, reason))
    }

    /// Refuses the peer; a roster sent first lets a revoked device learn, from the admin's own
    /// signature, that it was revoked.
    public mutating func peerRefused(_ refusal: Refusal, roster: [UInt8]? = nil) -> [SessionAction] {
        guard let roster else { return refuse(refusal) }
        var message = Relais_V1_Roster()
        message.roster = Data(roster)
        return sendEnvelope(.roster(message)) + refuse(refusal)
    }

    /// Changes the driver loaded for the peer; an empty list means nothing is left to send.
    public mutating func changesLoaded(_ loaded: ChangeBatch) -> [SessionAction] {
        guard case .exchanging = state else { return [] }
        exchange.isLoading = false
        let changes = loaded.changes
        guard !changes.isEmpty else {
            if let persons = exchange.fillRequested {
                exchange.fillRequested = nil
                exchange.isLoading = true
                return [.loadFill(persons: persons, peer: peerDevice, bytesMax: Limits.fillBytesMax)]
            }
            exchange.hasSentDone = true
            return sendEnvelope(.done(Relais_V1_Done())) + closeIfFinished()
        }
        var batch = Relais_V1_Batch()
        batch.changes = changes.map { Data($0.encoded) }
        batch.closures = loaded.closures.map { Data($0.encoded) }
        for change in changes { exchange.cursor.raise(change.origin, to: change.sequence) }
        exchange.batchesInFlight += 1
        statistics.changesSent += changes.count
        return sendEnvelope(.batch(batch)) + loadIfPossible()
    }

    /// The changes answering the peer's fill request, sent in frames of at most a batch's bytes,
    /// then `done`: the peer has nothing more to expect.
    public mutating func fillLoaded(_ changes: [Change]) -> [SessionAction] {
        guard case .exchanging = state else { return [] }
        exchange.isLoading = false
        var actions: [SessionAction] = []
        var message = Relais_V1_Fill()
        var bytes = 0
        for change in changes {
            let encoded = change.encoded
            if !message.changes.isEmpty && bytes + encoded.count > Limits.batchBytesMax {
                actions += sendEnvelope(.fill(message))
                message = Relais_V1_Fill()
                bytes = 0
            }
            message.changes.append(Data(encoded))
            bytes += encoded.count
        }
        if !message.changes.isEmpty { actions += sendEnvelope(.fill(message)) }
        exchange.hasSentDone = true
        return actions + sendEnvelope(.done(Relais_V1_Done())) + closeIfFinished()
    }

    /// The driver took the peer's fill.
    public mutating func fillApplied() -> [SessionAction] {
        guard case .exchanging = state else { return [] }
        exchange.isApplying = false
        return closeIfFinished()
    }

    /// The driver applied the peer's last batch; acknowledge with the new vector.
    public mutating func changesApplied(vector: VersionVector) -> [SessionAction] {
        guard case .exchanging = state else { return [] }
        exchange.isApplying = false
        var ack = Relais_V1_Ack()
        ack.vector = vector.message
        return sendEnvelope(.ack(ack)) + closeIfFinished()
    }

    /// The node could not apply the batch: the peer is refused with `badChange` and `reason`.
    public mutating func applyFailed(reason: String) -> [SessionAction] {
        refuse(Refusal(.badChange, reason))
    }

    /// This node's own store failed on what the peer sent: nothing the peer did, so it may retry.
    public mutating func storeFailed(reason: String) -> [SessionAction] {
        refuse(Refusal(.busy, reason))
    }

    /// The connection ended; a session not yet finished was cut.
    public mutating func connectionClosed() -> [SessionAction] {
        guard !isClosed else { return [] }
        return close(.connectionLost)
    }

    private mutating func receive(_ envelope: Relais_V1_Envelope) -> [SessionAction] {
        if case .refusal(let refusal)? = envelope.body { return close(.refusedByPeer(Refusal(refusal))) }
        if case .roster(let roster)? = envelope.body { return [.adoptRoster([UInt8](roster.roster))] }
        guard case .exchanging = state else { return violation("data before the peer was accepted") }
        if keyChange != nil {
            guard case .grant(let message)? = envelope.body else { return [] }
            guard let grant = try? EnrolmentGrant(message) else {
                return violation("a malformed answer to the key change")
            }
            return [.keyChanged(grant)] + close(.completed)
        }
        switch envelope.body {
        case .vector(let message):
            guard exchange.peerVector == nil, let vector = try? VersionVector(message) else {
                return violation("an unexpected or malformed version vector")
            }
            exchange.peerVector = vector
            exchange.cursor = vector
            let heads = VersionVector.heads(of: message)
            return (heads.isEmpty ? [] : [.compareHeads(heads, peer: peerDevice)]) + peerHolds(vector) + loadIfPossible()
        case .batch(let batch):
            guard exchange.peerVector != nil, !exchange.hasReceivedDone, !exchange.isApplying,
                batch.changes.count <= Limits.batchChangesMax, batch.closures.count <= batch.changes.count
            else { return violation("an unexpected batch") }
            do {
                let changes = try batch.changes.map { try Change(decoding: [UInt8]($0)) }
                let closures = try batch.closures.map { try OriginClosure(decoding: [UInt8]($0)) }
                exchange.isApplying = true
                statistics.changesReceived += changes.count
                return [.applyChanges(ChangeBatch(changes, closures: closures))]
            } catch {
                return refuse(Refusal(.badChange, "a change in the batch is malformed: \(error)"))
            }
        case .ack(let ack):
            guard exchange.batchesInFlight > 0, let vector = try? VersionVector(ack.vector) else {
                return violation("an unexpected acknowledgement")
            }
            exchange.batchesInFlight -= 1
            return peerHolds(vector) + loadIfPossible() + closeIfFinished()
        case .done:
            exchange.hasReceivedDone = true
            return closeIfFinished()
        case .fillRequest(let request):
            guard exchange.peerVector == nil, exchange.fillRequested == nil, request.persons.count <= Limits.fillPersonsMax,
                request.persons.allSatisfy({ $0.count == 16 })
            else { return violation("an unexpected or malformed fill request") }
            exchange.fillRequested = request.persons.map { RecordID(Identifier128(bytes: [UInt8]($0))) }
            return []
        case .fill(let fill):
            guard exchange.hasRequestedFill, !exchange.hasReceivedDone, !exchange.isApplying else {
                return violation("an unexpected fill")
            }
            do {
                let changes = try fill.changes.map { try Change(decoding: [UInt8]($0)) }
                exchange.isApplying = true
                return [.applyFill(changes)]
            } catch {
                return refuse(Refusal(.badChange, "a change in the fill is malformed: \(error)"))
            }
        case .keyChange(let message):
            guard role == .responder, exchange.peerVector == nil, let peer = exchange.peerHello?.certificate?.device,
                let request = try? KeyChangeRequest(decoding: [UInt8](message.request))
            else { return violation("an unexpected or malformed key change") }
            return [.certifyKeyChange(request, peer: peer)]
        case .grant, .refusal, .roster, .none:
            return violation("an unexpected message")
        }
    }

    private func peerHolds(_ vector: VersionVector) -> [SessionAction] {
        guard let device = peerDevice else { return [] }
        return [.peerHolds(device, vector)]
    }

    private var peerDevice: DeviceID? { exchange.peerHello?.certificate?.device }

    private mutating func loadIfPossible() -> [SessionAction] {
        guard !exchange.isLoading, !exchange.hasSentDone, exchange.peerVector != nil,
            exchange.batchesInFlight < Limits.batchesInFlightMax
        else { return [] }
        exchange.isLoading = true
        return [
            .loadChanges(
                missingFrom: exchange.cursor, peer: peerDevice, changesMax: Limits.batchChangesMax,
                bytesMax: Limits.batchBytesMax)
        ]
    }

    private mutating func closeIfFinished() -> [SessionAction] {
        guard exchange.hasSentDone, exchange.hasReceivedDone, exchange.batchesInFlight == 0, !exchange.isApplying else {
            return []
        }
        return close(.completed)
    }

    private mutating func sendEnvelope(_ body: Relais_V1_Envelope.OneOf_Body) -> [SessionAction] {
        switch state {
        case .verifying(var transport), .exchanging(var transport):
            do {
                let sealed = try transport.seal(Relais_V1_Envelope(body).bytes)
                replaceTransport(transport)
                return [send(sealed)]
            } catch {
                return close(.protocolViolation(error.description))
            }
        case .handshaking, .closed:
            return []
        }
    }

    /// The peer broke the protocol: it is told so (`PROTOCOL_VIOLATION`), so that it can tell a
    /// violation from a cut connection, then the session closes.
    private mutating func violation(_ reason: String) -> [SessionAction] {
        refuse(Refusal(.protocolViolation, "protocol violation: \(reason)"))
    }

    private mutating func refuse(_ refusal: Refusal) -> [SessionAction] {
        sendEnvelope(.refusal(refusal.message)) + close(.refusedPeer(refusal))
    }

    private mutating func replaceTransport(_ transport: NoiseTransport) {
        switch state {
        case .verifying: state = .verifying(transport)
        case .exchanging: state = .exchanging(transport)
        case .handshaking, .closed: break
        }
    }

    private mutating func send(_ content: [UInt8]) -> SessionAction {
        statistics.bytesSent += content.count + Limits.frameHeaderBytes
        return .send(content)
    }

    private mutating func close(_ reason: CloseReason) -> [SessionAction] {
        state = .closed
        return [.close(reason)]
    }
}

/// Where the change exchange of a session stands.
private struct Exchange {
    var peerHello: PeerHello?
    var peerVector: VersionVector?
    /// The peer's vector raised by every change sent: the next load starts there.
    var cursor = VersionVector()
    var batchesInFlight = 0
    var isLoading = false
    var isApplying = false
    var hasSentDone = false
    var hasReceivedDone = false
    /// Persons the peer asked to be filled in, answered before `done`.
    var fillRequested: [RecordID]?
    var hasRequestedFill = false
}
