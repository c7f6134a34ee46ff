import Foundation

/// Reads and writes the few files of a data folder, owner-only, atomically.
public enum FileAccess {
    static func read(_ path: String) throws(StoreError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw .io("cannot read \(path)") }
        return [UInt8](data)
    }

    /// Writes to a temporary file beside `path`, then renames: a crash leaves the old file or the
    /// new one, never half of each.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(StoreError) {
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: 0o600])
        else { throw .io("cannot write \(temporary)") }
        guard rename(temporary, path) == 0 else { throw .io("cannot replace \(path)") }
    }

    /// Replaces the content of `path` (created owner-only) without waiting for the disk, for a
    /// record written after every local write that may lag behind after a crash. `Data.write`
    /// synchronises the file: an fsync beside the database's own on every write.
    static func overwrite(_ bytes: [UInt8], at path: String) throws(StoreError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw .io("cannot write \(path)") }
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw .io("cannot write \(path)") }
    }

    /// Creates the data folder readable by its owner only.
    static func createPrivateDirectory(_ path: String) throws(StoreError) {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .io("cannot create \(path): \(error.localizedDescription)")
        }
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// What other users of the machine could open in the data folder, in words: the folder should
    /// be 0700 and the keyring 0600, as `init` makes them.
    public static func permissionWarnings(folder: String) -> [String] {
        var warnings: [String] = []
        for (path, mode, fix) in [(folder, "data folder", "chmod 700"), (folder + "/keyring", "keyring", "chmod 600")] {
            var status = stat()
            guard stat(path, &status) == 0, status.st_mode & 0o077 != 0 else { continue }
            warnings.append("the \(mode) \(path) can be opened by other users of this machine: run '\(fix) \(path)'")
        }
        return warnings
    }

    /// Refuses a data folder that is there but that this user cannot enter or read: it would
    /// otherwise look empty, and the advice would be to create a replica over one.
    public static func checkReadable(folder: String) throws(StoreError) {
        guard exists(folder), access(folder, R_OK | W_OK | X_OK) != 0 else { return }
        throw .io(
            "cannot open the data folder \(folder): permission denied (it belongs to another user, or its permissions were changed); nothing was changed"
        )
    }

    /// Whether a file is there with at least one byte.
    static func hasContent(_ path: String) -> Bool {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0 > 0
    }

    /// Up to `count` bytes from the start of `path`.
    static func readPrefix(of path: String, count: Int) throws(StoreError) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .io("cannot read \(path)") }
        defer { try? handle.close() }
        return [UInt8]((try? handle.read(upToCount: count)) ?? Data())
    }

    /// Writes `head` then the content of the file `tail` to `path` (owner-only), in chunks: a
    /// hub's database may not fit in memory. Atomic, as `writeAtomically`.
    /// - Returns: the bytes written.
    static func concatenate(_ head: [UInt8], then tail: String, into path: String) throws(StoreError) -> Int {
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(head), attributes: [.posixPermissions: 0o600]),
            let output = FileHandle(forWritingAtPath: temporary), let input = FileHandle(forReadingAtPath: tail)
        else { throw .io("cannot write \(temporary)") }
        defer {
            try? input.close()
            try? output.close()
        }
        var written = head.count
        do {
            try output.seekToEnd()
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                try output.write(contentsOf: chunk)
                written += chunk.count
            }
            try output.synchronize()
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .io("cannot write \(path): \(error.localizedDescription)")
        }
        guard rename(temporary, path) == 0 else { throw .io("cannot replace \(path)") }
        return written
    }

    /// Copies the bytes of `source` from `offset` on into a new owner-only file `path`.
    static func copyTail(of source: String, from offset: UInt64, to path: String) throws(StoreError) {
        guard let input = FileHandle(forReadingAtPath: source),
            FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let output = FileHandle(forWritingAtPath: path)
        else { throw .io("cannot copy \(source) to \(path)") }
        defer {
            try? input.close()
            try? output.close()
        }
        do {
            try input.seek(toOffset: offset)
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try output.write(contentsOf: chunk) }
            try output.synchronize()
        } catch {
            throw .io("cannot copy \(source) to \(path): \(error.localizedDescription)")
        }
    }
}
