import RelaisStore

/// Unlock secrets for tests.
public enum Passphrases {
    public static func unlock(_ text: String) throws -> KeyringUnlock {
        var bytes = Array(text.utf8)
        return try KeyringUnlock.passphrase(&bytes)
    }
}
