/// A Noise handshake (HandshakeState of the Noise specification) for the
/// `Noise_<pattern>_25519_ChaChaPoly_SHA256` protocols, stepping one message at a time.
///
/// It holds no socket and draws randomness only when no ephemeral key is injected, so the
/// published test vectors replay byte for byte.
public struct NoiseHandshake {
    public static let messageBytesMax = 65_535

    /// What each side brings: its static key, the peer's static key when the pattern says it is
    /// known in advance, a pre-shared key for `psk` patterns, and an ephemeral key for tests.
    public struct Keys {
        public var localStatic: X25519KeyPair?
        public var localEphemeral: X25519KeyPair?
        public var remoteStatic: [UInt8]?
        public var remoteEphemeral: [UInt8]?
        public var preSharedKey: SecureBytes?

        public init(
            localStatic: X25519KeyPair? = nil, localEphemeral: X25519KeyPair? = nil, remoteStatic: [UInt8]? = nil,
            remoteEphemeral: [UInt8]? = nil, preSharedKey: SecureBytes? = nil
        ) {
            self.localStatic = localStatic
            self.localEphemeral = localEphemeral
            self.remoteStatic = remoteStatic
            self.remoteEphemeral = remoteEphemeral
            self.preSharedKey = preSharedKey
        }
    }

    private let pattern: NoisePattern
    private let isInitiator: Bool
    private var keys: Keys
    private var symmetric: NoiseSymmetricState
    private var messageIndex = 0

    /// - Throws: `HandshakeError.unsupportedProtocol`, or `.missingKey` when a key the pattern
    ///   needs was not given.
    public init(protocolName: String, isInitiator: Bool, prologue: [UInt8], keys: Keys) throws(HandshakeError) {
        let parts = protocolName.split(separator: "_")
        guard parts.count == 5, parts[0] == "Noise", parts[2] == "25519", parts[3] == "ChaChaPoly", parts[4] == "SHA256" else {
            throw .unsupportedProtocol(protocolName)
        }
        pattern = try NoisePattern.named(String(parts[1]))
        self.isInitiator = isInitiator
        self.keys = keys
        symmetric = NoiseSymmetricState(protocolName: protocolName)
        symmetric.mixHash(prologue)
        try mixPremessage(pattern.initiatorPremessage, isLocal: isInitiator)
        try mixPremessage(pattern.responderPremessage, isLocal: !isInitiator)
    }

    private mutating func mixPremessage(_ tokens: [NoisePattern.Token], isLocal: Bool) throws(HandshakeError) {
        for token in tokens {
            precondition(token == .s, "pre-messages of supported patterns carry static keys only")
            let key = isLocal ? keys.localStatic?.publicKey : keys.remoteStatic
            guard let key else { throw .missingKey(isLocal ? "local static" : "remote static") }
            symmetric.mixHash(key)
        }
    }

    /// Sets the pre-shared key once the responder knows which one the initiator means (an
    /// enrolment token names its invite in message 1); it must come before the `psk` token.
    public mutating func setPreSharedKey(_ key: SecureBytes) {
        keys.preSharedKey = key
    }

    public var isComplete: Bool { messageIndex == pattern.messages.count }
    /// Whether the next handshake message is ours to write.
    public var isOurTurn: Bool { !isComplete && (messageIndex % 2 == 0) == isInitiator }
    public var handshakeHash: [UInt8] { symmetric.handshakeHash }
    /// The peer's static public key, once a message carried it.
    public var remoteStaticKey: [UInt8]? { keys.remoteStatic }

    /// - Throws: `HandshakeError.outOfOrder` when it is the peer's turn.
    public mutating func writeMessage(payload: [UInt8]) throws(HandshakeError) -> [UInt8] {
        guard isOurTurn else { throw .outOfOrder }
        var message: [UInt8] = []
        for token in pattern.messages[messageIndex] {
            switch token {
            case .e:
                let ephemeral = keys.localEphemeral ?? .generate()
                keys.localEphemeral = ephemeral
                message += ephemeral.publicKey
                mixEphemeral(ephemeral.publicKey)
            case .s:
                guard let localStatic = keys.localStatic else { throw .missingKey("local static") }
                message += try symmetric.encryptAndHash(localStatic.publicKey)
            default:
                try mixSecret(token)
            }
        }
        message += try symmetric.encryptAndHash(payload)
        guard message.count <= Self.messageBytesMax else { throw .messageTooLong(message.count) }
        messageIndex += 1
        return message
    }

    /// - Returns: the payload the message carried.
    /// - Throws: `HandshakeError` for a message out of turn, truncated, or failing authentication.
    public mutating func readMessage(_ message: [UInt8]) throws(HandshakeError) -> [UInt8] {
        guard !isComplete, !isOurTurn else { throw .outOfOrder }
        guard message.count <= Self.messageBytesMax else { throw .messageTooLong(message.count) }
        var rest = message[...]
        for token in pattern.messages[messageIndex] {
            switch token {
            case .e:
                guard rest.count >= X25519KeyPair.keyBytes else { throw .truncatedMessage }
                let ephemeral = Array(rest.prefix(X25519KeyPair.keyBytes))
                rest = rest.dropFirst(X25519KeyPair.keyBytes)
                keys.remoteEphemeral = ephemeral
                mixEphemeral(ephemeral)
            case .s:
                let length = X25519KeyPair.keyBytes + (symmetric.cipher.hasKey ? NoiseCipherState.tagBytes : 0)
                guard rest.count >= length else { throw .truncatedMessage }
                keys.remoteStatic = try symmetric.decryptAndHash(Array(rest.prefix(length)))
                rest = rest.dropFirst(length)
            default:
                try mixSecret(token)
            }
        }
        let payload = try symmetric.decryptAndHash(Array(rest))
        messageIndex += 1
        return payload
    }

    /// The transport ciphers, ours to send with first.
    /// - Precondition: the handshake is complete.
    public func transport() -> NoiseTransport {
        precondition(isComplete, "the handshake is not complete")
        let (initiatorToResponder, responderToInitiator) = symmetric.split()
        return isInitiator
            ? NoiseTransport(sender: initiatorToResponder, receiver: responderToInitiator)
            : NoiseTransport(sender: responderToInitiator, receiver: initiatorToResponder)
    }

    private mutating func mixEphemeral(_ publicKey: [UInt8]) {
        symmetric.mixHash(publicKey)
        if pattern.usesPreSharedKey {
            var copy = publicKey
            symmetric.mixKey(SecureBytes(consuming: &copy))
        }
    }

    private mutating func mixSecret(_ token: NoisePattern.Token) throws(HandshakeError) {
        switch token {
        case .psk:
            guard let preSharedKey = keys.preSharedKey, preSharedKey.count == 32 else { throw .missingKey("32-byte pre-shared") }
            symmetric.mixKeyAndHash(preSharedKey)
        case .ee:
            symmetric.mixKey(try dh(local: keys.localEphemeral, remote: keys.remoteEphemeral))
        case .ss:
            symmetric.mixKey(try dh(local: keys.localStatic, remote: keys.remoteStatic))
        case .es:
            symmetric.mixKey(
                isInitiator
                    ? try dh(local: keys.localEphemeral, remote: keys.remoteStatic)
                    : try dh(local: keys.localStatic, remote: keys.remoteEphemeral))
        case .se:
            symmetric.mixKey(
                isInitiator
                    ? try dh(local: keys.localStatic, remote: keys.remoteEphemeral)
                    : try dh(local: keys.localEphemeral, remote: keys.remoteStatic))
        case .e, .s:
            preconditionFailure("key tokens are handled by the caller")
        }
    }

    private func dh(local: X25519KeyPair?, remote: [UInt8]?) throws(HandshakeError) -> SecureBytes {
        guard let local else { throw .missingKey("local") }
        guard let remote else { throw .missingKey("remote") }
        return try local.sharedSecret(with: remote)
    }
}

/// The two directions of a completed session: one cipher to send with, one to receive with.
public struct NoiseTransport: Sendable {
    public var sender: NoiseCipherState
    public var receiver: NoiseCipherState

    public mutating func seal(_ plaintext: [UInt8]) throws(HandshakeError) -> [UInt8] {
        guard plaintext.count + NoiseCipherState.tagBytes <= NoiseHandshake.messageBytesMax else {
            throw .messageTooLong(plaintext.count + NoiseCipherState.tagBytes)
        }
        return try sender.encrypt(plaintext)
    }

    public mutating func open(_ ciphertext: [UInt8]) throws(HandshakeError) -> [UInt8] {
        try receiver.decrypt(ciphertext)
    }
}
