import Foundation
import RelaisHarness
import RelaisTestSupport
import Testing

/// Laptops back after 100 days offline (the clock moved with `RELAIS_CLOCK_OFFSET_SECONDS`): their
/// certificates have expired; a session with the hub renews them, with no new enrolment.
@Suite(.serialized) struct CertificateRenewalCLITests {
    let cli = CLIWorkspace()
    let later = ["RELAIS_CLOCK_OFFSET_SECONDS": String(100 * 86_400)]

    @Test func expiredLaptopsRenewThroughTheHubThenSyncWithEachOther() throws {
        var hub: DaemonProcess? = try cli.startTeam(laptops: ["first", "second"])
        hub?.stop()
        hub = nil

        let laterCLI = RelaisProcess(environment: cli.relais.environment.merging(later) { $1 })
        let second = try DaemonProcess(data: cli.path("second"), logFolder: cli.folder.path, environment: later)
        let refused = try laterCLI.run(["sync", "--data", cli.path("first"), "--peer", second.address])
        #expect(refused.status == 1)
        #expect(refused.error.contains("not valid now"), "\(refused.error)")

        // The first laptop meets the hub: its certificate and everyone's due are renewed there.
        let laterHub = try DaemonProcess(data: cli.path("hub"), logFolder: cli.folder.path, environment: later)
        let renewed = try laterCLI.run(["sync", "--data", cli.path("first"), "--peer", laterHub.address])
        #expect(renewed.status == 0, "\(renewed.error)")
        // ...and the second, which never met the hub, is accepted on the renewal the first carries.
        let relayed = try laterCLI.run(["sync", "--data", cli.path("first"), "--peer", second.address])
        #expect(relayed.status == 0, "\(relayed.error)")
        let devices = try laterCLI.run(["admin", "devices", "--data", cli.path("second"), "--json"]).output
        let now = Date().addingTimeInterval(100 * 86_400)
        let expiries = try JSONDecoder().decode([Listing].self, from: Data(devices.utf8)).map(\.expiresAt)
        #expect(expiries.count == 3 && expiries.allSatisfy { $0 > ISO8601DateFormatter().string(from: now) }, "\(devices)")

        let bad = try RelaisProcess(environment: cli.relais.environment.merging(["RELAIS_CLOCK_OFFSET_SECONDS": "soon"]) { $1 })
            .run(["status", "--data", cli.path("first")])
        #expect(bad.status == 2 && bad.error.contains("RELAIS_CLOCK_OFFSET_SECONDS"))
    }

    struct Listing: Decodable {
        let expiresAt: String
        enum CodingKeys: String, CodingKey { case expiresAt = "expires_at" }
    }
}
