import Foundation
import Hummingbird
import Logging
import Mustache
import NIOCore
import RelaisDaemon
import RelaisStore
import ServiceLifecycle

/// The mediators' app: French pages rendered here from the replica, served on a loopback
/// address by `relais serve`, with every template and asset inside the binary.
public enum WebApp {
    /// The app's HTTP server, as a service of the daemon's group.
    /// - Throws: `DaemonError.badConfig` for a non-loopback address or a keyring the app cannot
    ///   check passphrases against.
    /// - Parameter peers: the peers "Synchroniser maintenant" syncs with (the hub, on a field laptop).
    public static func service(node: LocalNode, address: PeerAddress, peers: [PeerAddress], logger: Logger) async throws
        -> any Service
    {
        guard address.isLoopback else { throw DaemonError.badConfig(DaemonConfiguration.uiNotLoopback) }
        guard let unlockCheck = node.unlockCheck, unlockCheck.takesPassphrase else {
            throw DaemonError.badConfig(
                "the app asks for a passphrase, and this keyring opens with a key file: set one with 'relais passphrase app', or start with --no-ui"
            )
        }
        let templates = try await templateLibrary()
        let tasks = TodayTasks(views: node.views, labels: .french)
        let site = Site(
            node: node, unlockCheck: unlockCheck, sessions: LoginSessions(), templates: templates, labels: .french,
            hosts: hosts(for: address), tasks: tasks, syncNow: SyncNow(node: node, peers: peers),
            cookieName: "relais_session_\(address.port)")
        let router = Router()
        router.add(middleware: AppSecurity(hosts: site.hosts))
        site.register(on: router)
        logger.info("app served at http://\(address)")
        return Server(
            application: Application(
                router: router,
                configuration: .init(address: .hostname(address.host, port: address.port), serverName: nil, reuseAddress: false),
                logger: logger),
            address: address, tasks: tasks, events: node.events.subscribe())
    }

    /// The HTTP server, whose failure to bind reads like the daemon's own ("the port is already in use").
    private struct Server<App: ApplicationProtocol>: Service {
        let application: App
        let address: PeerAddress
        let tasks: TodayTasks
        let events: StoreSubscription

        func run() async throws {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await tasks.follow(events) }
                group.addTask {
                    do {
                        try await application.run()
                    } catch let error as IOError {
                        throw DaemonError.listening(on: address, error)
                    }
                }
                // The server ends at shutdown (or fails to start): the tasks' follower goes with it.
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// The `Host` headers a request may carry: the served address, or `localhost` with its port.
    static func hosts(for address: PeerAddress) -> Set<String> {
        [address.description, "localhost:\(address.port)"]
    }

    private static func templateLibrary() async throws -> MustacheLibrary {
        guard let folder = Bundle.module.resourceURL?.appendingPathComponent("Templates").path else {
            preconditionFailure("the app's templates are missing from the build")
        }
        return try await MustacheLibrary(directory: folder)
    }
}
