import Foundation
import RelaisHarness
import RelaisTestSupport
import Testing

/// A laptop whose disk was rolled back in place (a VM snapshot) cannot tell, and signs new changes
/// under numbers its peers already hold for others. The first change stays, the second is
/// refused, kept aside and shown.
@Suite struct EquivocationTests {
    let cli = CLIWorkspace()

    @Test func aRestoredLaptopsSecondChangeUnderOneNumberIsRefusedAndShown() throws {
        let hub = try cli.startTeam(laptops: ["laptop"])
        let laptop = cli.path("laptop")
        let snapshot = try DiskSnapshot(of: laptop)
        _ = try cli.run(["person", "add", "--data", laptop, "--set", "family_name=WrittenFirst"])
        _ = try cli.run(["sync", "--data", laptop, "--peer", hub.address])
        try snapshot.rollBack()
        _ = try cli.run(["person", "add", "--data", laptop, "--set", "family_name=WrittenAfterRestore"])
        _ = try cli.run(["sync", "--data", laptop, "--peer", hub.address])

        let status = try cli.run(["status", "--data", cli.path("hub"), "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(status.utf8)) as? [String: Any]
        let refused = try #require(object?["equivocations"] as? [[String: Any]])
        #expect(refused.count == 1, "\(status)")
        #expect(refused.first?["device"] as? String == String(try deviceHex(laptop).prefix(8)))
        #expect(try cli.run(["status", "--data", cli.path("hub")]).contains("signed a second change"))
        #expect(try cli.run(["person", "search", "--data", cli.path("hub"), "writtenfirst"]).contains("WrittenFirst"))
        #expect(!(try cli.run(["person", "list", "--data", cli.path("hub")]).contains("WrittenAfterRestore")))
        #expect(hub.logShows("equivocation"), "the hub did not log it:\n\(hub.log)")
    }

    func deviceHex(_ data: String) throws -> String {
        let status = try cli.run(["status", "--data", data, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(status.utf8)) as? [String: Any]
        return try #require(object?["device"] as? String)
    }
}
