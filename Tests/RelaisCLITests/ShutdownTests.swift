import Foundation
import RelaisHarness
import RelaisTestSupport
import Testing

/// A daemon stopped while connections keep arriving: NIO traps on an accepted connection that
/// nobody takes (swift-nio#2637), which a serving task cancelled with connections queued leaves.
@Suite struct ShutdownTests {
    let cli = CLIWorkspace()

    @Test func aDaemonStoppedWhileConnectionsArriveExitsCleanly() throws {
        _ = try cli.run(["init", "--data", cli.path("hub"), "--name", "hub"])
        for attempt in 0..<8 {
            let daemon = try DaemonProcess(data: cli.path("hub"), logFolder: cli.folder.path)
            let port = daemon.port
            let knocking = Thread {
                while !Thread.current.isCancelled, let socket = FreePort.connectedSocket(to: port) { close(socket) }
            }
            knocking.start()
            Thread.sleep(forTimeInterval: 0.05)
            let status = daemon.stop()
            knocking.cancel()
            #expect(status == 0, "attempt \(attempt): the daemon did not stop cleanly:\n\(daemon.log.suffix(2_000))")
            #expect(!daemon.log.contains("Fatal error"), "attempt \(attempt):\n\(daemon.log.suffix(2_000))")
        }
    }
}
