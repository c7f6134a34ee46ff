import Dispatch
import Glibc

/// Publishes `.folderWritten` when a file of the data folder is written, created, moved or
/// removed, by this process or another: the CLI commits its writes to `replica.sqlite-wal` and
/// the daemon learns of them at once, without reading the database every second (Linux inotify,
/// read by a dispatch source). Chosen over SQLite's `data_version`, which only a query reveals
/// (a poll by another name), and over the CLI writing through the daemon's socket, which would
/// make every command depend on a running daemon.
final class FolderWatch {
    private let source: any DispatchSourceRead

    /// - Throws: `DaemonError.badConfig` when the folder cannot be watched (inotify limits).
    init(folder: String, events: StoreEvents) throws {
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { throw DaemonError.badConfig("cannot watch \(folder): \(String(cString: strerror(errno)))") }
        let mask = UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_CLOSE_WRITE)
        guard inotify_add_watch(descriptor, folder, mask) >= 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw DaemonError.badConfig("cannot watch \(folder): \(reason)")
        }
        source = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: DispatchQueue(label: "relais.folder-watch"))
        source.setEventHandler {
            // The events themselves do not matter: draining them and telling the subscribers does.
            var buffer = [UInt8](repeating: 0, count: 4_096)
            while read(descriptor, &buffer, buffer.count) > 0 {}
            events.publish(.folderWritten)
        }
        source.setCancelHandler { close(descriptor) }
        source.resume()
    }

    deinit { source.cancel() }
}
