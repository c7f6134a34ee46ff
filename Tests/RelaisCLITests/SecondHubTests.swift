import Foundation
import RelaisHarness
import RelaisTestSupport
import Testing

/// The answer to "the hub's machine died": a second hub, enrolled beforehand, holds everything and
/// serves the laptops meanwhile; when the first comes back, the two converge (RUNBOOK.md).
@Suite(.serialized) struct SecondHubTests {
    let cli = CLIWorkspace()

    @Test func aSecondHubServesTheLaptopsWhileTheFirstIsDownAndTheyConverge() throws {
        let first = try cli.startTeam(laptops: ["nord", "sud"])
        let (nord, sud, standby) = (cli.path("nord"), cli.path("sud"), cli.path("standby"))
        _ = try cli.run(["person", "add", "--data", nord, "--set", "family_name=BeforeTheFailure"])
        _ = try cli.run(["sync", "--data", nord, "--peer", first.address])

        _ = try cli.run(["init", "--data", standby, "--name", "standby"])
        let token = try cli.run(["admin", "invite", "--data", cli.path("hub"), "--role", "hub", "--name", "standby"])
        _ = try cli.run(["join", "--data", standby, "--hub", first.address, "--token", token])
        _ = try cli.run(["sync", "--data", standby, "--peer", first.address])
        #expect(try cli.run(["person", "search", "--data", standby, "beforethefailure"]).contains("BeforeTheFailure"))
        let second = try DaemonProcess(data: standby, logFolder: cli.folder.path)

        first.stop()
        _ = try cli.run(["person", "add", "--data", sud, "--set", "family_name=DuringTheFailure"])
        _ = try cli.run(["person", "add", "--data", nord, "--set", "family_name=AlsoDuring"])
        for _ in 0..<2 {
            for laptop in [sud, nord] { _ = try cli.run(["sync", "--data", laptop, "--peer", second.address]) }
        }
        #expect(try cli.run(["person", "search", "--data", nord, "duringthefailure"]).contains("DuringTheFailure"))
        #expect(try cli.run(["person", "search", "--data", sud, "alsoduring"]).contains("AlsoDuring"))
        #expect(try cli.run(["person", "search", "--data", standby, "alsoduring"]).contains("AlsoDuring"))

        // The first hub comes back and syncs with the second at once.
        let back = try DaemonProcess(data: cli.path("hub"), port: first.port, peers: [second.address], logFolder: cli.folder.path)
        var converged = false
        for _ in 0..<80 where !converged {
            Thread.sleep(forTimeInterval: 0.25)
            converged = try cli.snapshot(cli.path("hub")) == cli.snapshot(standby)
        }
        #expect(converged, "the hubs did not converge:\n\(back.log)")
        #expect(try cli.run(["person", "search", "--data", cli.path("hub"), "duringthefailure"]).contains("DuringTheFailure"))
        #expect(try cli.run(["person", "search", "--data", cli.path("hub"), "alsoduring"]).contains("AlsoDuring"))
    }
}
