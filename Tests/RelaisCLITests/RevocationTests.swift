import Foundation
import RelaisHarness
import RelaisTestSupport
import Testing

/// A lost laptop is revoked on the hub; the revocation travels laptop to laptop.
@Suite(.serialized) struct RevocationTests {
    let cli = CLIWorkspace()

    @Test func aRevokedLaptopIsRefusedEverywhereAndWipesItselfOnMeetingAnyPeer() throws {
        let hub = try cli.startTeam(laptops: ["carrier", "lost", "unaware"])
        _ = try cli.run(["person", "add", "--data", cli.path("lost"), "--set", "family_name=BeforeRevocation"])
        _ = try cli.run(["sync", "--data", cli.path("lost"), "--peer", hub.address])

        let devices =
            try JSONSerialization.jsonObject(
                with: Data(try cli.run(["admin", "devices", "--data", cli.path("hub"), "--json"]).utf8)) as! [[String: Any]]
        let lostID = devices.first { $0["name"] as? String == "lost" }!["device"] as! String
        _ = try cli.run(["admin", "revoke", "--data", cli.path("hub"), String(lostID.prefix(10))])

        // The thief writes, then meets a laptop that has not heard of the revocation yet.
        _ = try cli.run(["person", "add", "--data", cli.path("lost"), "--set", "family_name=AfterRevocation"])
        let unaware = try DaemonProcess(data: cli.path("unaware"), logFolder: cli.folder.path)
        _ = try cli.run(["sync", "--data", cli.path("lost"), "--peer", unaware.address])
        unaware.stop()
        // The unaware laptop relays it to the hub, which drops it and still completes the session.
        _ = try cli.run(["sync", "--data", cli.path("unaware"), "--peer", hub.address])
        let hubPersons = try cli.run(["person", "list", "--data", cli.path("hub")])
        #expect(hubPersons.contains("BeforeRevocation"))
        #expect(!hubPersons.contains("AfterRevocation"))

        // The carrier learns the roster from the hub, then meets the lost laptop: refusal and wipe.
        _ = try cli.run(["sync", "--data", cli.path("carrier"), "--peer", hub.address])
        let carrier = try DaemonProcess(data: cli.path("carrier"), logFolder: cli.folder.path)
        let refused = try cli.relais.run(["sync", "--data", cli.path("lost"), "--peer", carrier.address])
        #expect(refused.status == 1)
        #expect(refused.error.contains("revoked"), "\(refused.error)")
        #expect(!FileManager.default.fileExists(atPath: cli.path("lost") + "/keyring"))
        let locked = try cli.relais.run(["person", "list", "--data", cli.path("lost")])
        #expect(locked.status != 0)
        #expect(locked.error.contains("revoked"), "\(locked.error)")
        #expect(carrier.isRunning && hub.isRunning)

        let listing = try cli.run(["admin", "devices", "--data", cli.path("hub"), "--json"])
        #expect(listing.contains("revoked_at"))
        #expect(try cli.relais.run(["admin", "revoke", "--data", cli.path("hub"), String(lostID.prefix(10))]).status == 2)
    }
}
