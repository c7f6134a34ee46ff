import CSodium

/// Argon2id, to turn a passphrase into the key that seals the device keyring.
public enum PasswordKDF {
    public static let saltBytes = Int(crypto_pwhash_SALTBYTES)

    /// The cost a keyring is sealed with; stored beside it so it can be raised later.
    public struct Cost: Hashable, Sendable {
        public let operations: UInt64
        public let memoryBytes: UInt64

        public init(operations: UInt64, memoryBytes: UInt64) {
            self.operations = operations
            self.memoryBytes = memoryBytes
        }

        /// Three passes over 64 MiB: about 0.2 s on a field laptop for every unlock, and a
        /// guessing attacker pays the same for every guess.
        public static let standard = Cost(operations: 3, memoryBytes: 64 * 1_024 * 1_024)

        /// Whether libsodium accepts these parameters; a damaged header must not make us ask
        /// for terabytes of memory.
        public var isAcceptable: Bool {
            operations >= UInt64(crypto_pwhash_OPSLIMIT_MIN) && operations <= 16
                && memoryBytes >= UInt64(crypto_pwhash_MEMLIMIT_MIN) && memoryBytes <= 1 << 30
        }
    }

    /// - Throws: `CryptoError.keyDerivationFailed` when Argon2id fails, or
    ///   `CryptoError.malformedInput` for a bad salt or cost.
    public static func deriveKey(passphrase: SecureBytes, salt: [UInt8], cost: Cost) throws(CryptoError) -> SecureBytes {
        guard salt.count == saltBytes else { throw .malformedInput("an Argon2id salt has 16 bytes") }
        guard cost.isAcceptable else { throw .malformedInput("the key-derivation cost is out of range") }
        Sodium.ensureReady()
        let key = SecureBytes(count: AEAD.keyBytes)
        let status = key.withMutableBytePointer { keyPointer in
            passphrase.withBytePointer { passphrasePointer in
                passphrasePointer.withMemoryRebound(to: CChar.self, capacity: passphrase.count) {
                    crypto_pwhash(
                        keyPointer, UInt64(key.count), $0, UInt64(passphrase.count),
                        salt, cost.operations, Int(cost.memoryBytes), crypto_pwhash_ALG_ARGON2ID13)
                }
            }
        }
        guard status == 0 else { throw .keyDerivationFailed }
        return key
    }
}
