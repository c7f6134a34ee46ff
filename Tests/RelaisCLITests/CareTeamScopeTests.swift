import Foundation
import RelaisHarness
import RelaisTestSupport
import Testing

/// Care teams: a field laptop holds only its teams' persons, whoever it meets; moving a person
/// delivers the whole file to the new team and purges it from the laptops that lose it, without
/// losing what they wrote and had not synced yet.
@Suite(.serialized) struct CareTeamScopeTests {
    let cli = CLIWorkspace()

    @Test func aTransferDeliversTheFileToTheNewTeamAndPurgesItFromTheOldOne() throws {
        let hub = try cli.startTeam(laptops: ["nord1", "nord2", "sud1"])
        let devices = try deviceIDs()
        for (laptop, team) in [("nord1", "nord"), ("nord2", "nord"), ("sud1", "sud")] {
            _ = try cli.run(["admin", "assign", "--data", cli.path("hub"), devices[laptop]!, "--care-team", team])
        }
        for laptop in ["nord1", "nord2", "sud1"] { try sync(laptop, with: hub) }

        // Written on a nord laptop: the nord team's by default.
        let person = try cli.run(["person", "add", "--data", cli.path("nord1"), "--set", "family_name=Nordine"])
        _ = try cli.run([
            "visit", "add", "--data", cli.path("nord1"), "--person", person, "--set", "kind=home_visit", "--set",
            "note=Seen at the market",
        ])
        try sync("nord1", with: hub)
        for laptop in ["nord2", "sud1"] { try sync(laptop, with: hub) }
        #expect(try show(person, on: "hub").contains("Seen at the market"))
        #expect(try show(person, on: "nord2").contains("Seen at the market"))
        #expect(try !cli.run(["person", "list", "--data", cli.path("sud1")]).contains("Nordine"))
        let refused = try cli.relais.run(["person", "show", "--data", cli.path("sud1"), person])
        #expect(refused.status != 0 && refused.error.contains("other care teams"), "\(refused.error)")

        // A sud laptop meeting a nord laptop gets the nord persons' changes only as digests.
        let nord2 = try DaemonProcess(data: cli.path("nord2"), logFolder: cli.folder.path)
        _ = try cli.run(["sync", "--data", cli.path("sud1"), "--peer", nord2.address])
        #expect(nord2.stop() == 0)
        #expect(try !cli.run(["person", "list", "--data", cli.path("sud1")]).contains("Nordine"))

        // nord1 writes offline; meanwhile the hub moves the person to the sud team.
        _ = try cli.run(["person", "update", "--data", cli.path("nord1"), person, "--set", "phone=0600000001"])
        _ = try cli.run(["person", "move", "--data", cli.path("hub"), person, "--care-team", "sud"])

        // sud1 receives the move, then the whole file (one `relais sync`).
        try sync("sud1", with: hub)
        let delivered = try show(person, on: "sud1")
        #expect(delivered.contains("Nordine") && delivered.contains("Seen at the market"), "\(delivered)")
        #expect(delivered.contains("care teams: sud"))
        #expect(!delivered.contains("INCOMPLETE"))

        // The nord laptops purge it; nord1's offline write still reaches the hub and sud1.
        for laptop in ["nord1", "nord2"] {
            try sync(laptop, with: hub)
            #expect(try cli.relais.run(["person", "show", "--data", cli.path(laptop), person]).status != 0, "\(laptop)")
            #expect(try !cli.run(["person", "list", "--data", cli.path(laptop)]).contains("Nordine"), "\(laptop)")
            #expect(try cli.run(["person", "search", "--data", cli.path(laptop), "nordine"]) == "No person found.", "\(laptop)")
        }
        #expect(try show(person, on: "hub").contains("0600000001"))
        try sync("sud1", with: hub)
        #expect(try show(person, on: "sud1").contains("0600000001"))
        #expect(hub.isRunning)
    }

    @Test func aLaptopMovedToAnotherCareTeamSwapsItsPersons() throws {
        let hub = try cli.startTeam(laptops: ["mobile"])
        let devices = try deviceIDs()
        let nordPerson = try cli.run([
            "person", "add", "--data", cli.path("hub"), "--set", "family_name=Nordine", "--care-team", "nord",
        ])
        let sudPerson = try cli.run([
            "person", "add", "--data", cli.path("hub"), "--set", "family_name=Sudiste", "--care-team", "sud",
        ])
        let everyone = try cli.run(["person", "add", "--data", cli.path("hub"), "--set", "family_name=Commun"])
        _ = try cli.run(["admin", "assign", "--data", cli.path("hub"), devices["mobile"]!, "--care-team", "nord"])
        try sync("mobile", with: hub)
        #expect(try show(nordPerson, on: "mobile").contains("Nordine"))
        #expect(try show(everyone, on: "mobile").contains("Commun"))
        #expect(try cli.relais.run(["person", "show", "--data", cli.path("mobile"), sudPerson]).status != 0)

        _ = try cli.run(["admin", "assign", "--data", cli.path("hub"), devices["mobile"]!, "--care-team", "sud"])
        try sync("mobile", with: hub)
        #expect(try show(sudPerson, on: "mobile").contains("Sudiste"))
        #expect(try show(everyone, on: "mobile").contains("Commun"))
        #expect(try cli.relais.run(["person", "show", "--data", cli.path("mobile"), nordPerson]).status != 0)

        let refused = try cli.relais.run([
            "admin", "assign", "--data", cli.path("hub"), devices["mobile"]!, "--care-team", "Nord!",
        ])
        #expect(refused.status != 0 && refused.error.contains("care team"), "\(refused.error)")
        let mixed = try cli.relais.run([
            "admin", "assign", "--data", cli.path("hub"), devices["mobile"]!, "--care-team", "all", "--care-team", "nord",
        ])
        #expect(mixed.status != 0 && mixed.error.contains("give it alone"), "\(mixed.error)")
    }

    private func deviceIDs() throws -> [String: String] {
        let listing = try cli.run(["admin", "devices", "--data", cli.path("hub"), "--json"])
        let devices = try JSONSerialization.jsonObject(with: Data(listing.utf8)) as! [[String: Any]]
        return Dictionary(uniqueKeysWithValues: devices.map { ($0["name"] as! String, $0["device"] as! String) })
    }

    private func sync(_ laptop: String, with hub: DaemonProcess) throws {
        _ = try cli.run(["sync", "--data", cli.path(laptop), "--peer", hub.address])
    }

    private func show(_ person: String, on node: String) throws -> String {
        try cli.run(["person", "show", "--data", cli.path(node), person])
    }
}
