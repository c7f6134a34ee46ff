import Foundation

/// A data folder's database as a VM snapshot or a disk image restored in place would bring it
/// back: the same files (same inodes), older content. Unlike a folder copied back, nothing on the
/// node itself can tell; only its peers can (SPEC.md §10, "Restored devices").
public struct DiskSnapshot {
    private static let files = ["replica.sqlite", "replica.sqlite-wal"]
    private let folder: String
    private let contents: [String: Data]

    /// Takes the database files of `folder`, with no process holding them open.
    public init(of folder: String) throws {
        self.folder = folder
        var contents: [String: Data] = [:]
        for name in Self.files where FileManager.default.fileExists(atPath: folder + "/" + name) {
            contents[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        }
        self.contents = contents
    }

    /// Writes the snapshot back into the same files; the shared-memory index is rebuilt on open.
    public func rollBack() throws {
        for name in Self.files {
            let path = folder + "/" + name
            guard let content = contents[name] else {
                try? FileManager.default.removeItem(atPath: path)
                continue
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: content)
            try handle.close()
        }
        try? FileManager.default.removeItem(atPath: folder + "/replica.sqlite-shm")
    }
}
