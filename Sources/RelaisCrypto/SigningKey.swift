import CSodium

/// An Ed25519 key pair whose secret half stays in guarded memory.
public final class SigningKey: Sendable {
    public static let publicKeyBytes = Int(crypto_sign_PUBLICKEYBYTES)
    public static let secretKeyBytes = Int(crypto_sign_SECRETKEYBYTES)

    private let secret: SecureBytes
    public let publicKey: [UInt8]

    public static func generate() -> SigningKey {
        Sodium.ensureReady()
        let secret = SecureBytes(count: secretKeyBytes)
        var publicKey = [UInt8](repeating: 0, count: publicKeyBytes)
        secret.withMutableBytePointer { _ = crypto_sign_keypair(&publicKey, $0) }
        return SigningKey(secret: secret, publicKey: publicKey)
    }

    /// Restores a key pair from its 64-byte libsodium secret key (which embeds the public key).
    /// - Throws: `CryptoError.malformedInput` for a secret of the wrong size.
    public static func restore(secret: SecureBytes) throws(CryptoError) -> SigningKey {
        guard secret.count == secretKeyBytes else { throw .malformedInput("an Ed25519 secret key has 64 bytes") }
        var publicKey = [UInt8](repeating: 0, count: publicKeyBytes)
        secret.withBytePointer { _ = crypto_sign_ed25519_sk_to_pk(&publicKey, $0) }
        return SigningKey(secret: secret, publicKey: publicKey)
    }

    private init(secret: SecureBytes, publicKey: [UInt8]) {
        self.secret = secret
        self.publicKey = publicKey
    }

    /// The secret key, for sealing into the keyring.
    public var secretKey: SecureBytes { secret }

    public func sign(_ message: [UInt8]) -> [UInt8] {
        var signature = [UInt8](repeating: 0, count: Int(crypto_sign_BYTES))
        secret.withBytePointer { _ = crypto_sign_detached(&signature, nil, message, UInt64(message.count), $0) }
        return signature
    }

    /// Whether `signature` is a valid Ed25519 signature of `message` by `publicKey`.
    public static func isValid(signature: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        Sodium.ensureReady()
        guard signature.count == Int(crypto_sign_BYTES), publicKey.count == publicKeyBytes else { return false }
        return crypto_sign_verify_detached(signature, message, UInt64(message.count), publicKey) == 0
    }

    /// A short, non-secret name for a public key, for logs and status.
    public static func fingerprint(of publicKey: [UInt8]) -> String {
        Hash.blake2b(publicKey, outputBytes: 16).prefix(8).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
