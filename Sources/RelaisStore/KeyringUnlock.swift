import RelaisCrypto

/// The secret that opens a device keyring: a person's passphrase, or a key file on a server.
public struct KeyringUnlock: Sendable {
    enum Kind: UInt8, Sendable {
        case passphrase = 1
        case keyFile = 2
    }

    let kind: Kind
    let secret: SecureBytes

    /// Takes the passphrase bytes and wipes the caller's copy.
    /// - Throws: `StoreError.invalidWrite` for an empty or oversized passphrase.
    public static func passphrase(_ bytes: inout [UInt8]) throws(StoreError) -> KeyringUnlock {
        guard !bytes.isEmpty, bytes.count <= Limits.passphraseBytesMax else {
            throw .invalidWrite("the passphrase must have 1 to \(Limits.passphraseBytesMax) bytes")
        }
        return KeyringUnlock(kind: .passphrase, secret: SecureBytes(consuming: &bytes))
    }

    /// Takes a key file's content and wipes the caller's copy.
    /// - Throws: `StoreError.invalidWrite` for a key file that is too short to be a real key.
    public static func keyFile(_ bytes: inout [UInt8]) throws(StoreError) -> KeyringUnlock {
        guard bytes.count >= Limits.keyFileBytesMin, bytes.count <= Limits.keyFileBytesMax else {
            throw .invalidWrite("a key file must hold \(Limits.keyFileBytesMin) to \(Limits.keyFileBytesMax) bytes")
        }
        return KeyringUnlock(kind: .keyFile, secret: SecureBytes(consuming: &bytes))
    }

    /// A fresh random key file's content, for unattended servers.
    public static func newKeyFileContent() -> [UInt8] {
        RandomBytes.make(count: Limits.keyFileBytesMin)
    }
}
