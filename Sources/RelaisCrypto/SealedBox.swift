import CSodium

/// libsodium sealed boxes: anonymous encryption to an X25519 public key, used to hand the team
/// key to a device being enrolled, readable only with that device's Noise static key.
public enum SealedBox {
    public static let overheadBytes = Int(crypto_box_sealbytes())

    public static func seal(_ secret: SecureBytes, to publicKey: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard publicKey.count == X25519KeyPair.keyBytes else { throw .malformedInput("an X25519 public key has 32 bytes") }
        Sodium.ensureReady()
        var sealed = [UInt8](repeating: 0, count: secret.count + overheadBytes)
        let status = secret.withBytePointer { crypto_box_seal(&sealed, $0, UInt64(secret.count), publicKey) }
        guard status == 0 else { throw .malformedInput("the public key was refused") }
        return sealed
    }

    /// - Throws: `CryptoError.authenticationFailed` when the box was not sealed to `keyPair`.
    public static func open(_ sealed: [UInt8], with keyPair: X25519KeyPair) throws(CryptoError) -> SecureBytes {
        guard sealed.count > overheadBytes else { throw .authenticationFailed }
        let secret = SecureBytes(count: sealed.count - overheadBytes)
        let status = secret.withMutableBytePointer { output in
            keyPair.secret.withBytePointer { secretKey in
                crypto_box_seal_open(output, sealed, UInt64(sealed.count), keyPair.publicKey, secretKey)
            }
        }
        guard status == 0 else { throw .authenticationFailed }
        return secret
    }
}
