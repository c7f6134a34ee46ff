import Foundation
import RelaisHarness
import RelaisTestSupport
import Testing

/// `relais join` with a token the hub will not take: the device is told which case it is.
@Suite struct EnrolmentTests {
    let cli = CLIWorkspace()

    @Test func aUsedOrExpiredTokenIsRefusedSayingWhich() throws {
        let hub = try cli.startTeam(laptops: [])
        let token = try cli.run(["admin", "invite", "--data", cli.path("hub"), "--role", "field"])
        _ = try cli.run(["init", "--data", cli.path("first")])
        _ = try cli.run(["join", "--data", cli.path("first"), "--hub", hub.address, "--token", token])
        _ = try cli.run(["init", "--data", cli.path("second")])
        let used = try cli.relais.run(["join", "--data", cli.path("second"), "--hub", hub.address, "--token", token])
        #expect(used.status == 1)
        #expect(used.error.contains("token was already used"), "\(used.error)")
        #expect(used.error.split(separator: "\n").count == 1, "\(used.error)")

        // An invite made a day and an hour ago, valid 24 hours.
        var environment = cli.relais.environment
        environment["RELAIS_CLOCK_OFFSET_SECONDS"] = "-90000"
        let stale = try RelaisProcess(environment: environment).run([
            "admin", "invite", "--data", cli.path("hub"), "--role", "field", "--valid-hours", "24",
        ])
        let expired = try cli.relais.run([
            "join", "--data", cli.path("second"), "--hub", hub.address, "--token",
            stale.output.trimmingCharacters(in: .whitespacesAndNewlines),
        ])
        #expect(expired.status == 1)
        #expect(expired.error.contains("token expired on"), "\(expired.error)")
        #expect(expired.error.split(separator: "\n").count == 1, "\(expired.error)")
        // Refused tokens changed nothing: the device can still join with a good one.
        let fresh = try cli.run(["admin", "invite", "--data", cli.path("hub"), "--role", "field"])
        #expect(try cli.run(["join", "--data", cli.path("second"), "--hub", hub.address, "--token", fresh]).contains("Joined"))
    }
}
