import Foundation
import RelaisCore
import RelaisCrypto
import SwiftProtobuf

/// The enrolment of a new device by its hub, as a pure state machine, over
/// `Noise_XXpsk3_25519_ChaChaPoly_SHA256` with a one-time token as the pre-shared key.
///
/// Message 1 names the token's invite (its id, never the secret); the hub picks that invite's key
/// before message 3, which only a holder of the token can produce. The hub then sends the grant.
public struct EnrolmentSession {
    /// The Noise protocol of enrolments: XX with the invite token as pre-shared key.
    public static let protocolName = "Noise_XXpsk3_25519_ChaChaPoly_SHA256"
    /// The prologue names the protocol and its version, as for sync sessions.
    public static let prologue = Array("relais/1 \(protocolName)".utf8)

    /// What an enrolment asks its driver to do.
    public enum Action: Sendable {
        case send([UInt8])
        /// Hub: find the invite's pre-shared key, then call `inviteFound` or `inviteRefused`.
        case lookupInvite(tokenID: [UInt8])
        /// Hub: certify the device, then call `granted` or `refuse`.
        case enrol(tokenID: [UInt8], identity: EnrolmentIdentity, noiseKey: [UInt8])
        /// Joiner: the hub's grant and its handshake Hello.
        case enrolled(EnrolmentGrant, hub: PeerHello, hubNoiseKey: [UInt8])
        case close(CloseReason)
    }

    private enum Side {
        case joiner(tokenID: [UInt8], identity: EnrolmentIdentity)
        case hub(hello: PeerHello)
    }

    private let side: Side
    private var handshake: NoiseHandshake
    private var transport: NoiseTransport?
    private var tokenID: [UInt8] = []
    private var peerHello: PeerHello?
    /// Whether the enrolment ended.
    public private(set) var isClosed = false

    /// The device being enrolled, holding the token.
    public init(joinerKey: X25519KeyPair, tokenID: [UInt8], preSharedKey: SecureBytes, identity: EnrolmentIdentity)
        throws(HandshakeError)
    {
        side = .joiner(tokenID: tokenID, identity: identity)
        handshake = try NoiseHandshake(
            protocolName: Self.protocolName, isInitiator: true, prologue: Self.prologue,
            keys: .init(localStatic: joinerKey, preSharedKey: preSharedKey))
    }

    /// The hub, which learns which invite is meant from message 1.
    public init(hubKey: X25519KeyPair, hello: PeerHello) throws(HandshakeError) {
        side = .hub(hello: hello)
        handshake = try NoiseHandshake(
            protocolName: Self.protocolName, isInitiator: false, prologue: Self.prologue, keys: .init(localStatic: hubKey))
    }

    /// The first message, for the joining device; nothing for the hub.
    public mutating func start() -> [Action] {
        guard case .joiner(let tokenID, _) = side else { return [] }
        var request = Relais_V1_EnrolRequest()
        request.tokenID = Data(tokenID)
        return write((try? request.serializedBytes()) ?? [])
    }

    /// Takes a frame from the peer.
    public mutating func receive(_ frame: [UInt8]) -> [Action] {
        guard !isClosed else { return [] }
        if var transport {
            return receiveGrant(frame, &transport)
        }
        do {
            let payload = try handshake.readMessage(frame)
            switch side {
            case .hub:
                if !handshake.isComplete {
                    let request = try Relais_V1_EnrolRequest(serializedBytes: payload)
                    guard request.tokenID.count == 8 else { return close(.protocolViolation("a malformed token id")) }
                    tokenID = [UInt8](request.tokenID)
                    return [.lookupInvite(tokenID: tokenID)]
                }
                transport = handshake.transport()
                guard let identity = try? Relais_V1_EnrolIdentity(serializedBytes: payload), identity.deviceID.count == 16,
                    identity.signingKey.count == 32, identity.deviceName.utf8.count <= RelaisCore.Limits.deviceNameBytesMax
                else { return refuse(Refusal(.protocolViolation, "a malformed enrolment identity")) }
                let enrolment = EnrolmentIdentity(
                    device: DeviceID(Identifier128(bytes: [UInt8](identity.deviceID))), name: identity.deviceName,
                    signingKey: [UInt8](identity.signingKey))
                return [.enrol(tokenID: tokenID, identity: enrolment, noiseKey: handshake.remoteStaticKey ?? [])]
            case .joiner(_, let identity):
                let hello = try Relais_V1_Hello(serializedBytes: payload)
                if hello.hasRefusal { return close(.refusedByPeer(Refusal(hello.refusal))) }
                peerHello = try PeerHello(hello)
                var message = Relais_V1_EnrolIdentity()
                message.deviceID = Data(identity.device.value.bytes)
                message.deviceName = identity.name
                message.signingKey = Data(identity.signingKey)
                let actions = write(try message.serializedBytes())
                transport = handshake.transport()
                return actions
            }
        } catch let error as HandshakeError {
            return close(.handshakeFailed(error == .decryptionFailed ? "the enrolment token does not match" : error.description))
        } catch {
            return close(.protocolViolation("a malformed enrolment message"))
        }
    }

    /// Hub: the invite is usable; its key completes the handshake.
    public mutating func inviteFound(preSharedKey: SecureBytes) -> [Action] {
        guard case .hub(let hello) = side else { return [] }
        handshake.setPreSharedKey(preSharedKey)
        return write((try? hello.message.serializedBytes()) ?? [])
    }

    /// Hub: the invite cannot be used. Message 2 needs no pre-shared key (it is mixed in message
    /// 3), so the hub still writes it, its Hello carrying the refusal, and the device learns why.
    public mutating func inviteRefused(_ refusal: Refusal) -> [Action] {
        guard case .hub(let hello) = side else { return [] }
        var message = hello.message
        message.refusal = refusal.message
        return write((try? message.serializedBytes()) ?? []) + close(.refusedPeer(refusal))
    }

    /// Hub: sends the grant and ends the enrolment.
    public mutating func granted(_ grant: EnrolmentGrant) -> [Action] {
        guard var transport else { return [] }
        do {
            let sealed = try transport.seal(Relais_V1_Envelope(.grant(grant.message)).bytes)
            self.transport = transport
            return [.send(sealed)] + close(.completed)
        } catch {
            return close(.protocolViolation(error.description))
        }
    }

    /// Hub: sends the refusal and ends the enrolment.
    public mutating func refuse(_ refusal: Refusal) -> [Action] {
        guard var transport else { return close(.refusedPeer(refusal)) }
        let sealed = try? transport.seal(Relais_V1_Envelope(.refusal(refusal.message)).bytes)
        self.transport = transport
        return (sealed.map { [Action.send($0)] } ?? []) + close(.refusedPeer(refusal))
    }

    /// The connection closed: an enrolment not already over was lost.
    public mutating func connectionClosed() -> [Action] {
        isClosed ? [] : close(.connectionLost)
    }

    private mutating func receiveGrant(_ frame: [UInt8], _ transport: inout NoiseTransport) -> [Action] {
        do {
            let envelope = try Relais_V1_Envelope(serializedBytes: try transport.open(frame))
            self.transport = transport
            switch envelope.body {
            case .grant(let message):
                let grant = try EnrolmentGrant(message)
                guard let peerHello, let hubKey = handshake.remoteStaticKey else {
                    return close(.protocolViolation("no hub Hello"))
                }
                return [.enrolled(grant, hub: peerHello, hubNoiseKey: hubKey)] + close(.completed)
            case .refusal(let refusal):
                return close(.refusedByPeer(Refusal(refusal)))
            default:
                return close(.protocolViolation("an unexpected message during enrolment"))
            }
        } catch {
            return close(.protocolViolation("a malformed enrolment grant"))
        }
    }

    private mutating func write(_ payload: [UInt8]) -> [Action] {
        do {
            return [.send(try handshake.writeMessage(payload: payload))]
        } catch {
            return close(.handshakeFailed(error.description))
        }
    }

    private mutating func close(_ reason: CloseReason) -> [Action] {
        isClosed = true
        return [.close(reason)]
    }
}
