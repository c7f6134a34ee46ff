import Logging
import ServiceLifecycle
import UnixSignals

/// Runs the daemon's services until SIGTERM or SIGINT, then shuts them down in reverse order.
public enum Daemon {
    public static func run(node: LocalNode, configuration: DaemonConfiguration, logger: Logger) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: [SyncService(node: node, configuration: configuration, logger: logger)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
