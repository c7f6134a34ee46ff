import CSodium

/// A passphrase kept only to be checked: libsodium's Argon2id string, salt and cost inside. For
/// the app's login on a node whose keyring opens with a key file.
public enum PasswordHash {
    /// - Throws: `CryptoError.keyDerivationFailed` when Argon2id fails, or
    ///   `CryptoError.malformedInput` for a cost libsodium would refuse.
    public static func make(_ passphrase: SecureBytes, cost: PasswordKDF.Cost = .standard) throws(CryptoError) -> String {
        guard cost.isAcceptable else { throw .malformedInput("the key-derivation cost is out of range") }
        Sodium.ensureReady()
        var output = [CChar](repeating: 0, count: Int(crypto_pwhash_STRBYTES))
        let status = passphrase.withBytePointer { pointer in
            pointer.withMemoryRebound(to: CChar.self, capacity: passphrase.count) {
                crypto_pwhash_str_alg(
                    &output, $0, UInt64(passphrase.count), cost.operations, Int(cost.memoryBytes),
                    crypto_pwhash_ALG_ARGON2ID13)
            }
        }
        guard status == 0 else { throw .keyDerivationFailed }
        return String(decoding: output.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `passphrase` is the one `stored` was made from. False too for a string of another
    /// cost than `cost`: a file altered to ask for gigabytes must not run.
    public static func matches(_ passphrase: SecureBytes, _ stored: String, cost: PasswordKDF.Cost = .standard) -> Bool {
        Sodium.ensureReady()
        let text = Array(stored.utf8CString)
        guard text.count <= Int(crypto_pwhash_STRBYTES),
            crypto_pwhash_str_needs_rehash(text, cost.operations, Int(cost.memoryBytes)) == 0
        else { return false }
        return passphrase.withBytePointer { pointer in
            pointer.withMemoryRebound(to: CChar.self, capacity: passphrase.count) {
                crypto_pwhash_str_verify(text, $0, UInt64(passphrase.count)) == 0
            }
        }
    }
}
