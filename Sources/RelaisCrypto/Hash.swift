import CSodium

/// BLAKE2b, plain or keyed (libsodium's generic hash).
public enum Hash {
    /// - Precondition: `outputBytes` is between 16 and 64.
    public static func blake2b(_ message: [UInt8], outputBytes: Int = 32) -> [UInt8] {
        precondition((16...64).contains(outputBytes), "BLAKE2b output is 16 to 64 bytes")
        Sodium.ensureReady()
        var output = [UInt8](repeating: 0, count: outputBytes)
        _ = crypto_generichash(&output, outputBytes, message, UInt64(message.count), nil, 0)
        return output
    }

    /// A keyed BLAKE2b: a pseudo-random function of `message`, meaningless without `key`.
    /// - Precondition: `key` has 16 to 64 bytes and `outputBytes` is between 16 and 64.
    public static func keyed(_ message: [UInt8], key: SecureBytes, outputBytes: Int = 32) -> [UInt8] {
        precondition((16...64).contains(key.count), "a BLAKE2b key has 16 to 64 bytes")
        precondition((16...64).contains(outputBytes), "BLAKE2b output is 16 to 64 bytes")
        Sodium.ensureReady()
        var output = [UInt8](repeating: 0, count: outputBytes)
        key.withBytePointer { _ = crypto_generichash(&output, outputBytes, message, UInt64(message.count), $0, key.count) }
        return output
    }
}

extension Hash {
    /// A 256-bit key from a secret that already has full entropy (a key file), salted so that
    /// two keyrings sealed with the same file get different keys. No stretching is needed.
    /// - Precondition: `salt` has 16 to 64 bytes.
    public static func deriveKey(fromSecret secret: SecureBytes, salt: [UInt8]) -> SecureBytes {
        precondition((16...64).contains(salt.count), "a BLAKE2b key has 16 to 64 bytes")
        Sodium.ensureReady()
        let key = SecureBytes(count: AEAD.keyBytes)
        key.withMutableBytePointer { output in
            secret.withBytePointer { input in
                _ = crypto_generichash(output, key.count, input, UInt64(secret.count), salt, salt.count)
            }
        }
        return key
    }
}
