import Glibc
import RelaisStore

/// `relais serve` holds an exclusive lock on `serve.lock` in its data folder while it runs. A
/// daemon keeps the keyring in memory and re-seals it when a roster brings a new team key, so
/// commands that replace the keyring (new device keys, a new passphrase, joining a team) must not
/// run beside it: they check the lock and ask for the daemon to be stopped. It also keeps two
/// daemons off one folder.
public final class ServeLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }

    /// - Throws: `DaemonError.daemonRunning` when another `relais serve` holds the folder;
    ///   `StoreError.notInitialised` when there is no folder (the lock is a detail of one).
    public static func acquire(folder: String) throws -> ServeLock {
        try FileAccess.checkReadable(folder: folder)
        let descriptor = open(folder + "/serve.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == ENOENT { throw StoreError.notInitialised(folder) }
            throw DaemonError.badConfig("cannot use the data folder \(folder): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw DaemonError.daemonRunning(folder)
        }
        return ServeLock(descriptor: descriptor)
    }

    /// - Throws: `DaemonError.daemonRunning` when `relais serve` runs on `folder`.
    public static func ensureNotServing(folder: String) throws {
        _ = try acquire(folder: folder)
    }
}
