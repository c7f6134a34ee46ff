import CSodium

/// A Curve25519 Diffie-Hellman key pair, secret half in guarded memory.
public final class X25519KeyPair: Sendable {
    public static let keyBytes = Int(crypto_scalarmult_BYTES)

    let secret: SecureBytes
    public let publicKey: [UInt8]

    public static func generate() -> X25519KeyPair {
        restore(secret: .random(count: keyBytes))
    }

    /// - Precondition: `secret` has 32 bytes.
    public static func restore(secret: SecureBytes) -> X25519KeyPair {
        precondition(secret.count == keyBytes, "an X25519 secret key has 32 bytes")
        Sodium.ensureReady()
        var publicKey = [UInt8](repeating: 0, count: keyBytes)
        secret.withBytePointer { _ = crypto_scalarmult_base(&publicKey, $0) }
        return X25519KeyPair(secret: secret, publicKey: publicKey)
    }

    private init(secret: SecureBytes, publicKey: [UInt8]) {
        self.secret = secret
        self.publicKey = publicKey
    }

    /// The secret key, for sealing into the keyring.
    public var secretKey: SecureBytes { secret }

    /// - Throws: `HandshakeError.invalidPublicKey` for a low-order point (an all-zero result).
    func sharedSecret(with publicKey: [UInt8]) throws(HandshakeError) -> SecureBytes {
        guard publicKey.count == Self.keyBytes else { throw .invalidPublicKey }
        let shared = SecureBytes(count: Self.keyBytes)
        let status = shared.withMutableBytePointer { output in
            secret.withBytePointer { crypto_scalarmult(output, $0, publicKey) }
        }
        guard status == 0 else { throw .invalidPublicKey }
        return shared
    }
}
