import CSodium

/// A Noise CipherState over ChaCha20-Poly1305 (IETF, 96-bit nonce: 32 zero bits then the
/// 64-bit counter little-endian), as libsodium provides it.
public struct NoiseCipherState: Sendable {
    static let tagBytes = Int(crypto_aead_chacha20poly1305_ietf_ABYTES)

    private var key: SecureBytes?
    private var nonce: UInt64 = 0

    init(key: SecureBytes? = nil) { self.key = key }

    var hasKey: Bool { key != nil }

    mutating func initializeKey(_ key: SecureBytes) {
        self.key = key
        nonce = 0
    }

    /// Encrypts with the next nonce; without a key, returns the plaintext (handshake rule).
    public mutating func encrypt(_ plaintext: [UInt8], associatedData: [UInt8] = []) throws(HandshakeError) -> [UInt8] {
        guard let key else { return plaintext }
        guard nonce < UInt64.max else { throw .nonceExhausted }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + Self.tagBytes)
        var written: UInt64 = 0
        let nonceBytes = Self.nonceBytes(nonce)
        _ = key.withBytePointer {
            crypto_aead_chacha20poly1305_ietf_encrypt(
                &ciphertext, &written, plaintext, UInt64(plaintext.count), associatedData, UInt64(associatedData.count), nil,
                nonceBytes, $0)
        }
        nonce += 1
        return ciphertext
    }

    /// - Throws: `HandshakeError.decryptionFailed`; the nonce does not advance then.
    public mutating func decrypt(_ ciphertext: [UInt8], associatedData: [UInt8] = []) throws(HandshakeError) -> [UInt8] {
        guard let key else { return ciphertext }
        guard nonce < UInt64.max else { throw .nonceExhausted }
        guard ciphertext.count >= Self.tagBytes else { throw .decryptionFailed }
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count - Self.tagBytes)
        var written: UInt64 = 0
        let nonceBytes = Self.nonceBytes(nonce)
        let status = key.withBytePointer {
            crypto_aead_chacha20poly1305_ietf_decrypt(
                &plaintext, &written, nil, ciphertext, UInt64(ciphertext.count), associatedData, UInt64(associatedData.count),
                nonceBytes, $0)
        }
        guard status == 0 else { throw .decryptionFailed }
        nonce += 1
        return plaintext
    }

    private static func nonceBytes(_ counter: UInt64) -> [UInt8] {
        [0, 0, 0, 0] + (0..<8).map { UInt8(truncatingIfNeeded: counter >> (8 * UInt64($0))) }
    }
}
