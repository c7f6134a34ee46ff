import Foundation
import RelaisCore
import RelaisCrypto

/// Checks a secret against a replica's keyring file, for the app's login.
public struct UnlockCheck: Sendable {
    let path: String
    let device: DeviceID

    /// A keyring that opens with a key file (a hub under systemd) has no passphrase to ask for:
    /// the app then asks for the one `relais passphrase app` kept beside it.
    private var appLogin: String { DataFolder(URL(fileURLWithPath: path).deletingLastPathComponent().path).appLogin }

    /// Whether the app can ask for a passphrase: the keyring's, or the app's own beside a key file.
    public var takesPassphrase: Bool { KeyringFile.takesPassphrase(path) || FileAccess.exists(appLogin) }

    /// Whether `unlock` opens the keyring, and it is still this device's; beside a key file,
    /// whether it is the app's passphrase.
    public func accepts(_ unlock: KeyringUnlock) -> Bool {
        if unlock.kind == .passphrase, !KeyringFile.takesPassphrase(path) {
            return AppLogin.accepts(unlock, stored: appLogin)
        }
        return (try? KeyringFile.read(from: path, unlock: unlock))?.device == device
    }
}

extension Replica {
    /// The check of a secret against this replica's keyring file; nil for a replica in memory.
    public var unlockCheck: UnlockCheck? { keys.path.map { UnlockCheck(path: $0, device: keyring.device) } }

    /// Sets the passphrase the app asks for on this node, whose keyring opens with a key file.
    /// - Throws: `StoreError.invalidWrite` for a keyring that opens with a passphrase (the app
    ///   asks for that one) or a replica in memory.
    public func setAppPassphrase(_ unlock: KeyringUnlock) throws(StoreError) {
        guard let path = keys.path else { throw .invalidWrite("this replica has no keyring file") }
        guard !KeyringFile.takesPassphrase(path) else {
            throw .invalidWrite("this keyring opens with a passphrase, and the app asks for that one: nothing to set")
        }
        try AppLogin.write(unlock, to: DataFolder(URL(fileURLWithPath: path).deletingLastPathComponent().path).appLogin)
    }
}
