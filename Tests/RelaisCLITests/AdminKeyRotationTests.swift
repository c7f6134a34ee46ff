import Foundation
import RelaisHarness
import RelaisTestSupport
import Testing

/// `relais admin rotate-admin-key` on a running hub: a laptop that learnt the new key and one that
/// has not still accept each other, and the second follows the chain.
@Suite(.serialized) struct AdminKeyRotationCLITests {
    let cli = CLIWorkspace()

    @Test func laptopsFollowTheNewAdminKeyEvenWhenTheyMeetBeforeTheHub() throws {
        let hub = try cli.startTeam(laptops: ["informed", "unaware"])
        let rotation = try cli.run(["admin", "rotate-admin-key", "--data", cli.path("hub"), "--json"])
        #expect(rotation.contains("\"links\" : 1") && rotation.contains("\"certificates\" : 3"), "\(rotation)")
        _ = try cli.run(["sync", "--data", cli.path("informed"), "--peer", hub.address])

        let unaware = try DaemonProcess(data: cli.path("unaware"), logFolder: cli.folder.path)
        let met = try cli.relais.run(["sync", "--data", cli.path("informed"), "--peer", unaware.address])
        #expect(met.status == 0, "\(met.error)")
        unaware.stop()
        #expect(try rosterVersion("unaware") == rosterVersion("hub"))
        _ = try cli.run(["sync", "--data", cli.path("unaware"), "--peer", hub.address])
        let token = try cli.run(["admin", "invite", "--data", cli.path("hub"), "--role", "field"])
        _ = try cli.run(["init", "--data", cli.path("newcomer"), "--name", "newcomer"])
        _ = try cli.run(["join", "--data", cli.path("newcomer"), "--hub", hub.address, "--token", token])
        _ = try cli.run(["sync", "--data", cli.path("newcomer"), "--peer", hub.address])
    }

    private func rosterVersion(_ name: String) throws -> Int {
        let json = try cli.run(["status", "--data", cli.path(name), "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        return object["roster_version"] as? Int ?? -1
    }
}
