import Foundation

/// Where a command may write a file: never inside a data folder (it would overwrite the keyring
/// or the replica, or leave clear data beside them), and over an existing file only when told.
enum OutputFile {
    static func check(_ path: String, dataFolder: String, force: Bool) throws {
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        let folder = URL(fileURLWithPath: dataFolder).standardizedFileURL.resolvingSymlinksInPath().path
        guard target != folder, !target.hasPrefix(folder + "/") else {
            throw CommandError(description: "\(path) is inside the data folder \(dataFolder): put it elsewhere")
        }
        guard force || !FileManager.default.fileExists(atPath: path) else {
            throw CommandError(description: "\(path) already exists: choose another name, or add --force to replace it")
        }
    }

    /// A new file for writing, owner-only from its first byte. FileManager creates a file with
    /// the default mode and narrows it afterwards: a moment in which another account could open
    /// it and keep reading what is written next.
    /// - Throws: `CommandError` when it exists already or cannot be created.
    static func createOwnerOnly(_ path: String) throws -> FileHandle {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CommandError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// Writes `contents` to the new file `path`, owner-only (`createOwnerOnly`).
    static func writeOwnerOnly(_ contents: Data, to path: String) throws {
        let handle = try createOwnerOnly(path)
        do {
            try handle.write(contentsOf: contents)
            try handle.close()
        } catch {
            unlink(path)
            throw CommandError(description: "cannot write \(path): \(error.localizedDescription)")
        }
    }
}
