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

extension Hash {
    /// A key only a holder of both `key` and `secret` can derive, bound to `context`: keyed
    /// BLAKE2b-256 of `context | secret` under `key`, with `secret` never copied out of guarded memory.
    /// - Precondition: `key` has 16 to 64 bytes.
    public static func deriveKey(from key: SecureBytes, and secret: SecureBytes, context: [UInt8]) -> SecureBytes {
        precondition((16...64).contains(key.count), "a BLAKE2b key has 16 to 64 bytes")
        Sodium.ensureReady()
        let output = SecureBytes(count: AEAD.keyBytes)
        // The state is aligned to 64 bytes in C, which Swift cannot declare: allocate it by hand.
        let stateBytes = crypto_generichash_statebytes()
        let raw = UnsafeMutableRawPointer.allocate(byteCount: stateBytes, alignment: 64)
        defer {
            sodium_memzero(raw, stateBytes)
            raw.deallocate()
        }
        let state = OpaquePointer(raw)
        _ = key.withBytePointer { crypto_generichash_init(state, $0, key.count, output.count) }
        _ = crypto_generichash_update(state, context, UInt64(context.count))
        _ = secret.withBytePointer { crypto_generichash_update(state, $0, UInt64(secret.count)) }
        _ = output.withMutableBytePointer { crypto_generichash_final(state, $0, output.count) }
        return output
    }
}
