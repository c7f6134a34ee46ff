import Foundation
import RelaisHarness
import RelaisTestSupport
import Testing

/// `relais serve --metrics`: what an admin's Prometheus scrapes, and nothing personal in it.
@Suite struct MetricsTests {
    let cli = CLIWorkspace()

    /// The body of an HTTP/1.1 GET to 127.0.0.1:`port`, with its status line.
    func get(_ path: String, port: Int) throws -> (status: String, body: String) {
        let socket = try #require(FreePort.connectedSocket(to: port))
        defer { close(socket) }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, 0) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let received = recv(socket, &buffer, buffer.count, 0)
            guard received > 0 else { break }
            response += buffer.prefix(received)
        }
        let text = String(decoding: response, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        return (parts[0].components(separatedBy: "\r\n")[0], parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    @Test func sessionsChangesPeersAndTheLastBackupAreScraped() throws {
        let first = try cli.startTeam(laptops: ["laptop"])
        first.stop()
        let metricsPort = try FreePort.find()
        let hub = try DaemonProcess(
            data: cli.path("hub"), port: first.port, logFolder: cli.folder.path,
            arguments: ["--metrics", "127.0.0.1:\(metricsPort)"])
        for _ in 0..<100 where !FreePort.isListening(metricsPort) { Thread.sleep(forTimeInterval: 0.05) }
        _ = try cli.run(["person", "add", "--data", cli.path("laptop"), "--set", "family_name=Mesuree"])
        _ = try cli.run(["sync", "--data", cli.path("laptop"), "--peer", hub.address])
        _ = try cli.run(["backup", "--data", cli.path("hub"), "--out", cli.path("hub.backup")])

        let (status, body) = try get("/metrics", port: metricsPort)
        #expect(status.contains("200"), "\(status)")
        #expect(body.contains(#"relais_sessions_total{outcome="completed",code=""} 1"#), "\(body)")
        #expect(body.contains(#"relais_changes_total{outcome="applied"} 1"#), "\(body)")
        #expect(body.contains("relais_apply_seconds_count 1"), "\(body)")
        #expect(body.contains("relais_pending_changes 0"), "\(body)")
        #expect(body.contains("relais_peer_last_sync_timestamp_seconds{device="), "\(body)")
        #expect(body.contains("relais_last_backup_timestamp_seconds "), "\(body)")
        #expect(!body.contains("Mesuree") && !body.contains("mesuree"))
        #expect(try get("/", port: metricsPort).status.contains("404"))
        #expect(hub.stop() == 0)
    }
}
