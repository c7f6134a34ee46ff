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
}
