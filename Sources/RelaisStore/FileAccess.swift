import Foundation

/// Reads and writes the few files of a data folder, owner-only, atomically.
enum FileAccess {
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
}
