import RelaisCore
import RelaisCrypto

/// What a session asks its driver to do; the driver does it and reports back.
public enum SessionAction: Sendable {
    /// Write this frame content (a Noise message) to the connection.
    case send([UInt8])
    /// Check the peer's certificate against the roster, the team and the clock, then call
    /// `peerAccepted` or `peerRefused`.
    case verifyPeer(PeerHello, noiseKey: [UInt8])
    /// Load changes the peer lacks, within the limits, redacted for the peer's scope (nil: a peer
    /// without certificate), then call `changesLoaded`.
    case loadChanges(missingFrom: VersionVector, peer: DeviceID?, changesMax: Int, bytesMax: Int)
    /// Verify and apply these changes (after keeping their closures), then call `changesApplied`
    /// or `applyFailed`.
    case applyChanges(ChangeBatch)
    /// Load the stored changes carrying operations of these persons, redacted for the peer, within
    /// `bytesMax`, then call `fillLoaded`.
    case loadFill(persons: [RecordID], peer: DeviceID?, bytesMax: Int)
    /// Fill awaited persons' operations from these changes, then call `fillApplied`.
    case applyFill([Change])
    /// The peer sent a roster: adopt it if it is newer and validly signed.
    case adoptRoster([UInt8])
    /// The peer said it holds this vector: remember it, to prepare bundles for that device.
    case peerHolds(DeviceID, VersionVector)
    /// The peer named the change it holds at the end of these origins: compare with this node's.
    case compareHeads([ChangeHead], peer: DeviceID?)
    /// Admin node: the peer asks for new keys; certify them, then call `keyChangeCertified` or
    /// `keyChangeRefused`.
    case certifyKeyChange(KeyChangeRequest, peer: DeviceID)
    /// Device: the admin certified this device's new keys.
    case keyChanged(EnrolmentGrant)
    /// Close the connection; the session is over.
    case close(CloseReason)
}

/// How a session ended, for logs and `relais sync`.
public enum CloseReason: Hashable, Sendable, CustomStringConvertible {
    case completed
    case refusedByPeer(Refusal)
    case refusedPeer(Refusal)
    case protocolViolation(String)
    case handshakeFailed(String)
    case connectionLost

    /// Whether this side ended the session by sending the peer a refusal: its last word.
    public var isRefusalSent: Bool {
        if case .refusedPeer = self { true } else { false }
    }

    /// How the session ended, in words, for logs and `relais sync`.
    public var description: String {
        switch self {
        case .completed: "completed"
        case .refusedByPeer(let refusal): "refused by the peer: \(refusal)"
        case .refusedPeer(let refusal): "peer refused: \(refusal)"
        case .protocolViolation(let reason): "protocol violation: \(reason)"
        case .handshakeFailed(let reason): "handshake failed: \(reason)"
        case .connectionLost: "connection lost before the session completed"
        }
    }
}

/// A reason code (SPEC.md) and one sentence for the operator.
public struct Refusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// The reason codes of SPEC.md §12, as sent in a refusal.
    public enum Code: Int, Sendable {
        case versionTooOld = 1, badCertificate, certificateExpired, unknownDevice, otherTeam, revoked, badToken
        case protocolViolation, badChange, busy
    }

    /// The reason code.
    public let code: Code
    /// One sentence for the operator.
    public let reason: String

    /// A refusal of `code`, explained by `reason`.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The sentence.
    public var description: String { reason }

    var message: Relais_V1_Refusal {
        var message = Relais_V1_Refusal()
        message.code = Relais_V1_Refusal.Code(rawValue: code.rawValue) ?? .unspecified
        message.reason = reason
        return message
    }

    init(_ message: Relais_V1_Refusal) {
        self.init(Code(rawValue: message.code.rawValue) ?? .protocolViolation, String(message.reason.prefix(500)))
    }
}
