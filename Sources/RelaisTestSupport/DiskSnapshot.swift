import Foundation

/// A data folder as a VM snapshot or a disk image restored in place would bring it back: the same
/// files (same inodes), older content. Unlike a folder copied back, nothing on the node itself can
/// tell; only its peers can (SPEC.md §10, "Restored devices"). Taken of the database files alone,
/// it is instead a database that lost its last writes (a deleted write-ahead log), which the node
/// can tell from the number it last signed.
public struct DiskSnapshot {
    public enum Extent { case wholeFolder, databaseOnly }

    private static let databaseFiles = ["replica.sqlite", "replica.sqlite-wal"]
    private let folder: String
    private let extent: Extent
    private let names: [String]
    private let contents: [String: Data]

    /// Takes the files of `folder`, with no process holding them open.
    public init(of folder: String, extent: Extent = .wholeFolder) throws {
        self.folder = folder
        self.extent = extent
        let present = try FileManager.default.contentsOfDirectory(atPath: folder)
        names = extent == .databaseOnly ? Self.databaseFiles : Array(Set(present + Self.databaseFiles)).sorted()
        var contents: [String: Data] = [:]
        for name in names where present.contains(name) {
            contents[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        }
        self.contents = contents
    }

    /// Writes the snapshot back into the same files; the shared-memory index is rebuilt on open.
    public func rollBack() throws {
        let now = extent == .wholeFolder ? try FileManager.default.contentsOfDirectory(atPath: folder) : []
        for name in Set(names + now) where name != "replica.sqlite-shm" {
            let path = folder + "/" + name
            guard let content = contents[name] else {
                try? FileManager.default.removeItem(atPath: path)
                continue
            }
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: content)
            try handle.close()
        }
        try? FileManager.default.removeItem(atPath: folder + "/replica.sqlite-shm")
    }
}
