import Foundation
import GRDB
import RelaisCore

/// Backups of a data folder, and the restore that never lets a device sign a number twice.
///
/// A backup holds the sealed keyring and a consistent copy of the database, as opaque as the
/// folder itself. A restored replica is behind its own history: changes it signed after the
/// backup are held by its peers. So it signs nothing more under its old identity: it takes a new
/// one from the admin node first (`relais rotate-device-key`), and its old identity is retired,
/// not revoked, so everything it signed keeps verifying (SPEC.md §10).
extension Replica {
    private static let backupMagic = Array("RELAISBK".utf8)
    private static let backupFormat: UInt8 = 1

    /// Writes a backup of `folder` to `path`, while `relais serve` may be running: SQLite's online
    /// backup copies a consistent state. Needs no passphrase: nothing is decrypted.
    /// - Returns: the bytes written.
    public static func backup(folder: String, to path: String, at now: WallTime) throws(StoreError) -> Int {
        let paths = DataFolder(folder)
        guard FileAccess.exists(paths.keyring), FileAccess.exists(paths.database) else { throw .notInitialised(folder) }
        let keyring = try FileAccess.read(paths.keyring)
        let copy = path + ".db.tmp"
        defer { try? FileManager.default.removeItem(atPath: copy) }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let source = try DatabaseQueue(path: paths.database, configuration: configuration)
            let destination = try DatabaseQueue(path: copy)
            try source.backup(to: destination)
            try destination.close()
            try source.close()
        } catch {
            throw .database("cannot copy \(paths.database): \(error)")
        }
        var header = BinaryWriter()
        header.writeFixed(backupMagic)
        header.write(backupFormat)
        header.writeLengthPrefixed(keyring)
        let written = try FileAccess.concatenate(header.bytes, then: copy, into: path)
        // For the daemon's backup-age metric; a folder it cannot write to only makes it look older.
        try? FileAccess.writeAtomically(Array("\(now.milliseconds)".utf8), to: paths.lastBackup)
        return written
    }

    /// When the last backup of `folder` was written, if one was.
    public static func lastBackup(folder: String) -> WallTime? {
        guard let text = try? FileAccess.read(DataFolder(folder).lastBackup),
            let milliseconds = UInt64(String(decoding: text, as: UTF8.self))
        else { return nil }
        return WallTime(milliseconds: milliseconds)
    }

    /// Recreates a data folder from a backup and opens it. The folder must hold no replica.
    /// - Throws: `StoreError.alreadyInitialised`, `.invalidWrite` for a file that is not a whole
    ///   backup, `.wrongPassphrase`; the folder is left as it was found then.
    public static func restore(
        from path: String, into folder: String, unlock: KeyringUnlock, wallClock: @escaping () -> WallTime
    ) throws(StoreError) -> Replica {
        let paths = DataFolder(folder)
        guard !FileAccess.exists(paths.keyring), !FileAccess.exists(paths.database) else { throw .alreadyInitialised(folder) }
        let (keyring, databaseOffset) = try readBackupHeader(path)
        let folderExisted = FileAccess.exists(folder)
        do throws(StoreError) {
            try FileAccess.createPrivateDirectory(folder)
            try FileAccess.copyTail(of: path, from: databaseOffset, to: paths.database)
            try FileAccess.writeAtomically(keyring, to: paths.keyring)
            let replica = try open(folder: folder, unlock: unlock, wallClock: wallClock)
            guard try replica.integrityCheck() == ["ok"] else {
                throw StoreError.invalidWrite("\(path) holds a damaged database; nothing was restored")
            }
            try replica.write { db in try ReplicaMeta.markMustChangeIdentity(db) }
            return replica
        } catch {
            for file in [paths.database, paths.database + "-wal", paths.database + "-shm", paths.keyring] {
                try? FileManager.default.removeItem(atPath: file)
            }
            if !folderExisted { try? FileManager.default.removeItem(atPath: folder) }
            throw error
        }
    }

    /// The sealed keyring a backup holds and where its database starts.
    private static func readBackupHeader(_ path: String) throws(StoreError) -> ([UInt8], UInt64) {
        let prefix = try FileAccess.readPrefix(of: path, count: backupMagic.count + 1 + 4 + 64 * 1_024)
        var reader = BinaryReader(prefix)
        do {
            guard try reader.readFixed(backupMagic.count) == backupMagic, try reader.readUInt8() == backupFormat else {
                throw StoreError.invalidWrite("\(path) is not a Relais backup")
            }
            let keyring = try reader.readLengthPrefixed(limit: 64 * 1_024)
            return (keyring, UInt64(backupMagic.count + 1 + 4 + keyring.count))
        } catch let error as StoreError {
            throw error
        } catch {
            throw .invalidWrite("\(path) is not a whole Relais backup (truncated?)")
        }
    }

    /// Whether this replica must take a new identity before it signs anything: it was restored
    /// from a backup or copied back by hand, or a peer showed it holds changes of this device
    /// that this replica lacks.
    public var mustChangeIdentity: Bool {
        get throws(StoreError) { try read { try ReplicaMeta.mustChangeIdentity($0) } }
    }

    /// A data folder copied back by hand (or by any backup tool) holds a new database file: the
    /// replica may be behind its own history, so a team member takes a new identity before it
    /// signs again, as after `restore`. The file is known by its inode, kept in the replica
    /// itself: a file moved within its file system keeps it, a copy gets another (a freed inode
    /// reused by the copy escapes this, and is found at the next session, as a disk rolled back
    /// in place is). A replica of no team has no peer to disagree with, and is left alone.
    func checkFileIdentity(of path: String) throws(StoreError) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let inode = attributes[.systemFileNumber] as? UInt64
        else { return }
        let identity = Data("\(inode)".utf8)
        // Read first: a CLI command beside a running daemon should not queue for the write lock.
        guard try read({ db in try ReplicaMeta.fileIdentity(db) }) != identity else { return }
        try write { db in
            let known = try ReplicaMeta.fileIdentity(db)
            guard known != identity else { return }
            if known != nil, try TeamState.stored(db) != nil { try ReplicaMeta.markMustChangeIdentity(db) }
            try ReplicaMeta.saveFileIdentity(identity, db)
        }
    }
}
