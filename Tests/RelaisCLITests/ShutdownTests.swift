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

    /// A stopped daemon leaves its writes in the database file, not in a write-ahead log that
    /// copying the folder or a lost -wal file would leave behind.
    @Test func aStoppedDaemonCheckpointsItsWriteAheadLog() throws {
        _ = try cli.run(["init", "--data", cli.path("hub"), "--name", "hub"])
        _ = try cli.run(["team", "create", "--data", cli.path("hub"), "--name", "Relais test"])
        let daemon = try DaemonProcess(data: cli.path("hub"), logFolder: cli.folder.path)
        _ = try cli.run(["person", "add", "--data", cli.path("hub"), "--set", "family_name=Checkpointed"])
        #expect(daemon.logShows("listening"))
        #expect(daemon.stop() == 0)
        let wal = (try? FileManager.default.attributesOfItem(atPath: cli.path("hub") + "/replica.sqlite-wal")[.size]) as? Int
        #expect((wal ?? 0) == 0, "the write-ahead log still holds \(wal ?? 0) bytes")
    }
}
