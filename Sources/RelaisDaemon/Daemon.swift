import Logging
import ServiceLifecycle
import UnixSignals

/// Runs the daemon's services until SIGTERM, SIGINT or SIGHUP (a closed terminal or a logout),
/// then shuts them down in reverse order.
public enum Daemon {
    /// - Parameter dataFolder: the node's folder, watched for the CLI's writes, and where the
    ///   metrics read the last backup's time.
    public static func run(node: LocalNode, configuration: DaemonConfiguration, dataFolder: String, logger: Logger)
        async throws
    {
        await node.log(to: logger)
        var services: [any Service] = [
            SyncService(node: node, configuration: configuration, dataFolder: dataFolder, logger: logger)
        ]
        if let address = configuration.metrics {
            services.append(
                MetricsService(
                    address: address, dataFolder: dataFolder, registry: MetricsService.bootstrap(), logger: logger))
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint, .sighup], logger: logger))
        // Every service stopped, so no session writes any more: the log goes into the database
        // file, and a copy of the folder taken now holds everything.
        do {
            try await group.run()
        } catch {
            await node.checkpoint()
            throw error
        }
        await node.checkpoint()
    }
}
