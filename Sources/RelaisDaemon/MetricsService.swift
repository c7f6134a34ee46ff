import Foundation
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus
import RelaisCore
import RelaisStore
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
            return try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(
                            MetricsRequestHandler {
                                // Read at each scrape: the backup runs in another process.
                                if let time = Replica.lastBackup(folder: folder) {
                                    Gauge(label: "relais_last_backup_timestamp_seconds").record(Double(time.milliseconds) / 1_000)
                                }
                                return registry.emitToBuffer()
                            })
                    }
                }
                .bind(host: address.host, port: address.port).get()
        } catch {
            throw DaemonError.listening(on: address, error)
        }
    }
}

/// Answers one request per connection: the metrics, or 404.
private final class MetricsRequestHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let render: @Sendable () -> [UInt8]

    init(render: @escaping @Sendable () -> [UInt8]) { self.render = render }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let request) = unwrapInboundIn(data) else { return }
        let found = request.method == .GET && request.uri == "/metrics"
        let body = found ? render() : Array("not found\n".utf8)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: found ? "text/plain; version=0.0.4" : "text/plain")
        headers.add(name: "Content-Length", value: "\(body.count)")
        headers.add(name: "Connection", value: "close")
        let head = HTTPResponseHead(version: request.version, status: found ? .ok : .notFound, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in loopBound.value.close(promise: nil) }
    }
}
