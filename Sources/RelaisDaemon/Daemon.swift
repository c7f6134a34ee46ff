import Logging
import ServiceLifecycle
import UnixSignals

/// Runs the daemon's services until SIGTERM, SIGINT or SIGHUP (a closed terminal or a logout),
/// then shuts them down in reverse order.
public enum Daemon {
    /// - Parameters:
    ///   - dataFolder: the node's folder, watched for the CLI's writes, and where the metrics read
    ///     the last backup's time.
    ///   - serving: services above the daemon (the web app), started after sync, stopped before it.
    public static func run(
        node: LocalNode, configuration: DaemonConfiguration, dataFolder: String, serving: [any Service] = [], logger: Logger
    ) async throws {
        await node.log(to: logger)
        // Stopped in reverse order: the store last, once no session writes any more.
        var services: [any Service] =
            [
                StoreService(node: node, dataFolder: dataFolder, logger: logger),
                ReportFilesService(node: node, logger: logger),
                SyncService(node: node, configuration: configuration, logger: logger),
            ] + serving
        if let address = configuration.metrics {
            services.append(
                MetricsService(
                    address: address, dataFolder: dataFolder, registry: MetricsService.bootstrap(), logger: logger))
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint, .sighup], logger: logger))
        try await group.run()
    }
}
