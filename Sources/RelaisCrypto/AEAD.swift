import CSodium

/// XChaCha20-Poly1305 with a random 192-bit nonce stored in front of the ciphertext: random
/// nonces of that size never repeat in practice, so callers keep no nonce state.
public enum AEAD {
    public static let keyBytes = Int(crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    public static let nonceBytes = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
    public static let tagBytes = Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)
    /// Bytes a sealed value adds to its plaintext.
    public static let overheadBytes = nonceBytes + tagBytes

    /// - Precondition: `key` has `keyBytes` bytes.
    public static func seal(_ plaintext: [UInt8], key: SecureBytes, associatedData: [UInt8]) -> [UInt8] {
        precondition(key.count == keyBytes, "an AEAD key has 32 bytes")
        Sodium.ensureReady()
        var nonce = [UInt8](repeating: 0, count: nonceBytes)
        randombytes_buf(&nonce, nonceBytes)
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + tagBytes)
        var written: UInt64 = 0
        let status = key.withBytePointer { keyPointer in
            crypto_aead_xchacha20poly1305_ietf_encrypt(
                &ciphertext, &written, plaintext, UInt64(plaintext.count),
                associatedData, UInt64(associatedData.count), nil, nonce, keyPointer)
        }
        precondition(status == 0, "XChaCha20-Poly1305 encryption cannot fail")
        return nonce + ciphertext
    }

    /// - Throws: `CryptoError.authenticationFailed` when the key, the associated data or the
    ///   bytes do not match what was sealed.
    public static func open(_ sealed: [UInt8], key: SecureBytes, associatedData: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard key.count == keyBytes, sealed.count >= overheadBytes else { throw .authenticationFailed }
        let nonce = Array(sealed.prefix(nonceBytes))
        let ciphertext = Array(sealed.dropFirst(nonceBytes))
        var plaintext = [UInt8](repeating: 0, count: sealed.count - overheadBytes)
        var written: UInt64 = 0
        let status = key.withBytePointer { keyPointer in
            crypto_aead_xchacha20poly1305_ietf_decrypt(
                &plaintext, &written, nil, ciphertext, UInt64(ciphertext.count),
                associatedData, UInt64(associatedData.count), nonce, keyPointer)
        }
        guard status == 0 else { throw .authenticationFailed }
        return plaintext
    }

    /// Opens a sealed secret straight into guarded memory, wiping the intermediate copy.
    public static func openSecret(_ sealed: [UInt8], key: SecureBytes, associatedData: [UInt8]) throws(CryptoError) -> SecureBytes
    {
        var plaintext = try open(sealed, key: key, associatedData: associatedData)
        guard !plaintext.isEmpty else { throw .malformedInput("an empty secret") }
        return SecureBytes(consuming: &plaintext)
    }

    /// Seals a secret held in guarded memory.
    public static func seal(secret: SecureBytes, key: SecureBytes, associatedData: [UInt8]) -> [UInt8] {
        var plaintext = secret.withUnsafeBytes { Array($0) }
        defer { sodium_memzero(&plaintext, plaintext.count) }
        return seal(plaintext, key: key, associatedData: associatedData)
    }
}
