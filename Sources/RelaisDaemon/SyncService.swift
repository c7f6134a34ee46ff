import Logging
import NIOCore
import RelaisSync
import RelaisTransport
import ServiceLifecycle

/// `relais serve`: accepts sessions and keeps the configured peers in sync, until SIGTERM or SIGINT.
///
/// Shutdown cancels every session: each change a session applied was committed before it was
/// acknowledged, so a cancelled session loses at most its batch in flight, which the peer sends
/// again next time.
public struct SyncService: Service {
    let node: LocalNode
    let configuration: DaemonConfiguration
    /// The node's folder, watched for writes by other processes.
    let dataFolder: String
    let logger: Logger

    public init(node: LocalNode, configuration: DaemonConfiguration, dataFolder: String, logger: Logger) {
        self.node = node
        self.configuration = configuration
        self.dataFolder = dataFolder
        self.logger = logger
    }

    public func run() async throws {
        guard let listen = configuration.listen else {
            throw DaemonError.badConfig("no address to listen on (--listen HOST:PORT)")
        }
        let listener: NIOAsyncChannel<FrameChannel, Never>
        do {
            listener = try await SyncTransport.listen(host: listen.host, port: listen.port)
        } catch {
            throw DaemonError.listening(on: listen, error)
        }
        let bound = listener.channel.localAddress?.port.map { "\(listen.host):\($0)" } ?? listen.description
        let device = await node.device
        logger.info("listening", metadata: ["address": "\(bound)", "device": "\(device)"])
        // Writes by the CLI in another process wake the scheduler and the server at once.
        let watch: FolderWatch?
        do {
            watch = try FolderWatch(folder: dataFolder, signal: node.changes)
        } catch {
            watch = nil
            logger.warning("local writes reach peers only at the sync interval", metadata: ["reason": "\(error)"])
        }
        defer { withExtendedLifetime(watch) {} }
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { try await SyncServer(node: node, logger: logger).serve(listener) }
                    group.addTask {
                        // A revoked device has destroyed its keyring: it must stop serving at once.
                        while !Task.isCancelled {
                            let seen = node.changes.generation
                            if await node.isRevoked { throw DaemonError.revoked }
                            await node.changes.wait(after: seen)
                        }
                    }
                    if configuration.discovery, let port = listener.channel.localAddress?.port {
                        do {
                            let beacon = try DiscoveryBeacon(
                                group: Limits.discoveryGroup, port: Limits.discoveryPort,
                                interface: configuration.discoveryInterface)
                            group.addTask {
                                await PeerDiscovery(node: node, beacon: beacon, listenPort: port, logger: logger).run()
                            }
                        } catch {
                            logger.warning("discovery disabled", metadata: ["reason": "\(error)"])
                        }
                    }
                    for peer in configuration.peers {
                        group.addTask {
                            await PeerScheduler(peer: peer, node: node, interval: configuration.syncInterval, logger: logger)
                                .run()
                        }
                    }
                }
            }
        } catch  where Task.isShuttingDownGracefully || Task.isCancelled {
            // Shutting down cancels the accept loop, which reports it as an error: a normal stop.
        }
        logger.info("stopped")
    }
}
