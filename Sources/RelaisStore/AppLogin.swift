import Foundation
import RelaisCrypto

/// The app's own passphrase on a node whose keyring opens with a key file: only its Argon2id
/// string is kept (`app-login` in the data folder, owner-only), and it unlocks the app, never
/// the keyring.
enum AppLogin {
    static func write(_ unlock: KeyringUnlock, to path: String) throws(StoreError) {
        guard unlock.kind == .passphrase else { throw .invalidWrite("the app's login is a passphrase, not a key file") }
        let stored: String
        do { stored = try PasswordHash.make(unlock.secret) } catch { throw .invalidWrite("\(error)") }
        try FileAccess.writeAtomically(Array((stored + "\n").utf8), to: path)
    }

    /// Whether `unlock` is the passphrase kept at `path`; false when there is none, or it is damaged.
    static func accepts(_ unlock: KeyringUnlock, stored path: String) -> Bool {
        guard let bytes = try? FileAccess.read(path), bytes.count <= 512 else { return false }
        let stored = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return PasswordHash.matches(unlock.secret, stored)
    }
}
