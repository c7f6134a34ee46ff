import Logging
import ServiceLifecycle

/// The daemon's replica as a service: the first started and the last stopped. The replica is
/// opened before the group runs (`LocalNode`: one actor, so writes go one at a time); while the
/// group runs, this service watches the data folder so that writes by the CLI reach the
/// subscribers of `LocalNode.events`; once every other service has stopped, no session writes
/// any more, and it moves the write-ahead log into the database file, so a copy of the folder
/// taken then holds everything.
struct StoreService: Service {
    let node: LocalNode
    let dataFolder: String
    let logger: Logger

    func run() async throws {
        let watch: FolderWatch?
        do {
            watch = try FolderWatch(folder: dataFolder, events: node.events)
        } catch {
            watch = nil
            logger.warning("local writes reach peers only at the sync interval", metadata: ["reason": "\(error)"])
        }
        // The store's work happens in the actor, on its callers' tasks: this one only waits for
        // the stop (or the group's cancellation, when another service failed).
        try? await gracefulShutdown()
        withExtendedLifetime(watch) {}
        await node.checkpoint()
    }
}
