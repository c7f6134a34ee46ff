/// Why a Noise handshake or transport message failed; the session must then close.
public enum HandshakeError: Error, Hashable, Sendable, CustomStringConvertible {
    case unsupportedProtocol(String)
    case missingKey(String)
    case invalidPublicKey
    case truncatedMessage
    case decryptionFailed
    case messageTooLong(Int)
    case outOfOrder
    case nonceExhausted

    public var description: String {
        switch self {
        case .unsupportedProtocol(let name): "unsupported Noise protocol \(name)"
        case .missingKey(let which): "the handshake needs the \(which) key"
        case .invalidPublicKey: "the peer sent an invalid public key"
        case .truncatedMessage: "a handshake message ended too early"
        case .decryptionFailed: "a Noise message failed authentication (wrong key, tampering or replay)"
        case .messageTooLong(let bytes): "a Noise message of \(bytes) bytes exceeds the 65535-byte limit"
        case .outOfOrder: "a handshake message came out of turn"
        case .nonceExhausted: "the session sent 2^64-1 messages and must be rekeyed"
        }
    }
}
