import Foundation
import RelaisCore
import RelaisCrypto
import Synchronization

/// The replica's keyring: held unlocked in memory, sealed in its file, and the record beside it
/// of the last number this device signed. The only code that reads or writes those two files.
final class KeyringStore: Sendable {
    private struct State {
        var keyring: Keyring
        /// Where the keyring is sealed and with what, to re-seal it when the team changes it; nil
        /// for a replica in memory.
        var file: (path: String, unlock: KeyringUnlock)?
        /// The sealed keyring as this replica last read or wrote it: another process (the CLI
        /// beside a daemon) may have replaced it since.
        var seal: [UInt8]
    }

    // Readers take the keyring while a write may replace it.
    private let state: Mutex<State>

    var keyring: Keyring { state.withLock { $0.keyring } }
    private var file: (path: String, unlock: KeyringUnlock)? { state.withLock { $0.file } }
    /// The keyring file's path; nil for a replica in memory.
    var path: String? { file?.path }

    init(_ keyring: Keyring, file: (path: String, unlock: KeyringUnlock)? = nil) {
        state = Mutex(State(keyring: keyring, file: file, seal: (try? file.map { try FileAccess.read($0.path) }) ?? []))
    }

    /// Re-seals the keyring under a new passphrase or key file; nothing else changes.
    /// - Throws: `StoreError.invalidWrite` for a replica that has no keyring file.
    func changeUnlock(to unlock: KeyringUnlock) throws(StoreError) {
        try state.withLock { state throws(StoreError) in
            guard let file = state.file else { throw .invalidWrite("this replica has no keyring file") }
            try KeyringFile.write(state.keyring, to: file.path, unlock: unlock)
            state.file = (file.path, unlock)
            state.seal = try FileAccess.read(file.path)
        }
    }

    /// Replaces the keyring in memory and, for a replica on disk, re-seals it.
    /// - Throws: `StoreError.keyringDamaged` when another process replaced the keyring since it
    ///   was read here: writing this one over it would lose that change.
    func replace(with new: Keyring) throws(StoreError) {
        try state.withLock { state throws(StoreError) in
            if let file = state.file {
                guard try FileAccess.read(file.path) == state.seal else {
                    throw .keyringDamaged("the keyring was changed by another process; open the replica again")
                }
                try KeyringFile.write(new, to: file.path, unlock: file.unlock)
                state.seal = try FileAccess.read(file.path)
            }
            state.keyring = new
        }
    }

    /// Reads the keyring again if another process replaced it (a team key rotation or a team
    /// joined by the CLI while the daemon runs).
    func reloadIfChanged() throws(StoreError) {
        try state.withLock { state throws(StoreError) in
            guard let file = state.file else { return }
            let sealed = try FileAccess.read(file.path)
            guard sealed != state.seal else { return }
            state.keyring = try KeyringFile.read(from: file.path, unlock: file.unlock)
            state.seal = sealed
        }
    }

    /// Overwrites and deletes the keyring file, leaving a marker: the replica can never be opened
    /// again, and its data, sealed under keys that no longer exist anywhere on this disk, is unreadable.
    func destroy() {
        guard let file else { return }
        if let size = try? FileAccess.read(file.path).count {
            try? FileAccess.writeAtomically(RandomBytes.make(count: size), to: file.path)
        }
        try? FileManager.default.removeItem(atPath: file.path)
        let marker = (file.path as NSString).deletingLastPathComponent + "/REVOKED"
        try? FileAccess.writeAtomically(Array("revoked by the team admin\n".utf8), to: marker)
    }

    // The last number this device signed is kept beside the database in a file of its own
    // (`signed`): a database that lost its last writes (a deleted write-ahead log, a database
    // file put back alone) would otherwise sign those numbers again. Written after each local
    // commit, without waiting for the disk: a crash can only leave it behind the database, never ahead.

    /// Notes `sequence` as the last one this device signed.
    func noteSigned(_ sequence: UInt64) {
        guard let path = highWaterPath else { return }
        try? FileAccess.overwrite(Array("\(keyring.device.hex) \(sequence)\n".utf8), at: path)
    }

    /// The last number this device noted as signed; nil when none was noted (or by another identity).
    func lastSigned() -> UInt64? {
        guard let path = highWaterPath, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let parts = text.split(whereSeparator: \.isWhitespace)
        guard parts.count == 2, parts[0] == keyring.device.hex else { return nil }
        return UInt64(parts[1])
    }

    private var highWaterPath: String? {
        file.map { URL(fileURLWithPath: $0.path).deletingLastPathComponent().appendingPathComponent("signed").path }
    }
}
