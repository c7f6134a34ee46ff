import RelaisCore

/// Whether a secret opens this device's keyring file: how the app checks who unlocks it, on the
/// file itself (Argon2id each time, which is what makes guessing slow), without the replica.
public struct UnlockCheck: Sendable {
    let path: String
    let device: DeviceID

    /// Whether the keyring opens with a passphrase at all (not a server's key file).
    public var takesPassphrase: Bool { KeyringFile.takesPassphrase(path) }

    /// Whether `unlock` opens the keyring, and it is still this device's.
    public func accepts(_ unlock: KeyringUnlock) -> Bool {
        (try? KeyringFile.read(from: path, unlock: unlock))?.device == device
    }
}

extension Replica {
    /// The check of a secret against this replica's keyring file; nil for a replica in memory.
    public var unlockCheck: UnlockCheck? { keys.path.map { UnlockCheck(path: $0, device: keyring.device) } }
}
