/// Why a cryptographic operation failed; never carries key material or plaintext.
public enum CryptoError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The ciphertext, its associated data or the key is wrong: tampered or misplaced data.
    case authenticationFailed
    case malformedInput(String)
    /// Argon2id could not get the memory it asked for.
    case keyDerivationFailed

    public var description: String {
        switch self {
        case .authenticationFailed: "the data failed authentication (wrong key, or tampered)"
        case .malformedInput(let what): "malformed cryptographic input: \(what)"
        case .keyDerivationFailed: "deriving a key from the passphrase failed (not enough memory?)"
        }
    }
}
