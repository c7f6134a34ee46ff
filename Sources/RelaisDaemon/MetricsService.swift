import Foundation
import Logging
import Metrics
import NIOCore
import Prometheus
import RelaisCore
import RelaisStore
import RelaisTransport
import ServiceLifecycle

/// Serves the node's metrics in Prometheus' text format at `GET /metrics` on `relais serve
/// --metrics HOST:PORT`; off by default.
struct MetricsService: Service {
    let address: PeerAddress
    let dataFolder: String
    let registry: PrometheusCollectorRegistry
    let logger: Logger

    /// Makes swift-metrics record into `registry` for this process.
    static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }

    func run() async throws {
        let registry = registry
        let folder = dataFolder
        let channel = try await bind(registry: registry, folder: folder)
        logger.info("serving metrics", metadata: ["address": "\(address)"])
        try? await gracefulShutdown()
        try await channel.close()
    }

    private func bind(registry: PrometheusCollectorRegistry, folder: String) async throws -> any Channel {
        do {
            return try await MetricsEndpoint.listen(host: address.host, port: address.port) {
                // Read at each scrape: the backup runs in another process.
                if let time = Replica.lastBackup(folder: folder) {
                    Gauge(label: "relais_last_backup_timestamp_seconds").record(Double(time.milliseconds) / 1_000)
                }
                return registry.emitToBuffer()
            }
        } catch {
            throw DaemonError.listening(on: address, error)
        }
    }
}
