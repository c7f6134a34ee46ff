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
    let logger: Logger

    public init(node: LocalNode, configuration: DaemonConfiguration, logger: Logger) {
        self.node = node
        self.configuration = configuration
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
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { try await SyncServer(node: node, logger: logger).serve(listener) }
                    group.addTask {
                        // A revoked device has destroyed its keyring: it must stop serving at once.
                        let events = node.events.subscribe()
                        if await node.isRevoked { throw DaemonError.revoked }
                        for await event in events where event == .revoked { throw DaemonError.revoked }
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
