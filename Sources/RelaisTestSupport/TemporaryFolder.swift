import Foundation

/// A fresh folder under the system temporary directory, removed when released.
public final class TemporaryFolder {
    public let path: String

    public init() {
        path = NSTemporaryDirectory() + "relais-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Every regular file below the folder, with its bytes.
    public func allFiles() -> [(path: String, bytes: [UInt8])] {
        let enumerator = FileManager.default.enumerator(atPath: path)
        var files: [(String, [UInt8])] = []
        while let relative = enumerator?.nextObject() as? String {
            let full = path + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue,
                let data = FileManager.default.contents(atPath: full)
            else { continue }
            files.append((full, [UInt8](data)))
        }
        return files
    }
}
