import ArgumentParser
import RelaisApp
import Foundation
import Logging
import RelaisCore
import RelaisDaemon
import RelaisStore
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the daemon: accept sessions and keep peers in sync until stopped.")
    @OptionGroup var options: DataOptions
    @Option(help: "Listen on HOST:PORT.") var listen: String?
    @Option(help: "Sync with this peer (HOST:PORT) on a schedule and on every local change.") var peer: [String] = []
    @Option(help: "A JSON configuration file (see Deploy/relais.example.json).") var config: String?
    @Flag(help: "Do not announce this node or look for team peers on the local network.") var noDiscovery = false
    @Option(help: "The local IPv4 address whose interface carries discovery announcements.") var discoveryInterface: String?
    @Option(help: "Serve metrics in Prometheus' format at http://HOST:PORT/metrics (off unless given).") var metrics: String?
    @Option(help: "Serve the app at http://HOST:PORT, a loopback address (default 127.0.0.1:8437).") var ui: String?
    @Flag(help: "Do not serve the app.") var noUi = false

    func run() async throws {
        var configuration =
            try config.map { path throws(DaemonError) in try DaemonConfiguration.load(path) } ?? DaemonConfiguration()
        if let listen { configuration.listen = try PeerAddress(parsing: listen) }
        configuration.peers += try peer.map { text throws(DaemonError) in try PeerAddress(parsing: text) }
        if noDiscovery { configuration.discovery = false }
        if let metrics { configuration.metrics = try PeerAddress(parsing: metrics) }
        if let ui { configuration.ui = try PeerAddress(parsing: ui) }
        if noUi { configuration.ui = nil }
        if let ui = configuration.ui, !ui.isLoopback { throw CommandError(description: DaemonConfiguration.uiNotLoopback) }
        if let discoveryInterface {
            guard DaemonConfiguration.isIPv4(discoveryInterface) else {
                throw CommandError(description: "--discovery-interface must be an IPv4 address")
            }
            configuration.discoveryInterface = discoveryInterface
        }
        guard configuration.listen != nil else {
            throw CommandError(description: "give --listen HOST:PORT or 'listen' in the config")
        }
        let lock = try ServeLock.acquire(folder: options.data)
        options.warnAboutPermissions()
        let node = try LocalNode(folder: options.data, unlock: options.unlock(confirmingNewPassphrase: false))
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        defer { withExtendedLifetime(lock) {} }
        let logger = Logger(label: "relais")
        // A server unlocked by a key file has no passphrase to log in with: no app unless asked.
        if ui == nil, node.unlockCheck?.takesPassphrase == false { configuration.ui = nil }
        var serving: [any Service] = []
        if let address = configuration.ui {
            serving.append(
                try await WebApp.service(node: node, address: address, peers: configuration.peers, logger: logger))
        }
        try await Daemon.run(node: node, configuration: configuration, dataFolder: options.data, serving: serving, logger: logger)
    }
}

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Run one sync session with a peer now and report what moved.")
    @OptionGroup var options: DataOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "The peer, as HOST:PORT.") var peer: String

    func run() async throws {
        let address = try PeerAddress(parsing: peer)
        options.warnAboutPermissions()
        let node = try LocalNode(folder: options.data, unlock: options.unlock(confirmingNewPassphrase: false))
        let line = ProgressLine()
        let report = try await SyncClient.sync(with: address, node: node) { sent, received in
            line.show("syncing with \(address): \(sent) change(s) sent, \(received) received")
        }
        line.finish()
        try output.print(report) {
            "Synced with \(report.peer): \(report.changesSent) change(s) sent, \(report.changesReceived) received, "
                + "\(report.bytesSent + report.bytesReceived) bytes, \(report.durationMilliseconds) ms.\n"
        }
    }
}

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show this device, its team, version vector, peers and last sync.")
    @OptionGroup var options: DataOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let status = try NodeStatus(replica: options.openReplica())
        try output.print(status) {
            var text = "Device \(status.name) (\(status.device))\n"
            text +=
                status.team.map {
                    "Team \($0), role \(status.role ?? "?"), certificate valid until \(status.certificateExpiresAt ?? "?")\n"
                }
                ?? "Not in a team yet ('relais team create' or 'relais join').\n"
            text +=
                "Version vector: "
                + status.vector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + "\n"
            if status.pending > 0 { text += "\(status.pending) change(s) waiting for their predecessors\n" }
            text += "Last successful sync: \(status.lastSuccessfulSync ?? "never")\n"
            for peer in status.peers {
                text += "Peer \(peer.address): last success \(peer.lastSuccess ?? "never")"
                text += peer.lastError.isEmpty ? "\n" : ", last error: \(peer.lastError)\n"
            }
            for refused in status.equivocations {
                text +=
                    "⚠ device \(refused.device) signed a second change #\(refused.sequence) (restored from a backup?): the first was kept, the second set aside\n"
            }
            for device in status.skewedDevices {
                text += "⚠ device \(device.device) has a clock \(device.aheadSeconds) s ahead; its clock is not followed\n"
            }
            return text
        }
    }
}
