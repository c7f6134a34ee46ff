import Foundation
import RelaisHarness
import RelaisTestSupport
import Testing

/// `relais rotate-device-key` against a real hub: the laptop carries on under new keys, and a copy
/// of it made before (the old keys) is refused as retired.
@Suite(.serialized) struct KeyChangeCLITests {
    let cli = CLIWorkspace()

    @Test func aLaptopChangesItsKeysThroughTheHubAndItsOldKeysAreRetired() throws {
        let hub = try cli.startTeam(laptops: ["laptop"])
        let person = try cli.run(["person", "add", "--data", cli.path("laptop"), "--set", "family_name=Written before"])
        try FileManager.default.copyItem(atPath: cli.path("laptop"), toPath: cli.path("old-copy"))

        let serving = try DaemonProcess(data: cli.path("laptop"), logFolder: cli.folder.path)
        let refused = try cli.relais.run(["rotate-device-key", "--data", cli.path("laptop"), "--hub", hub.address])
        #expect(refused.status == 2 && refused.error.contains("stop it first"), "\(refused.error)")
        serving.stop()

        let oldID = try status("laptop")
        let changed = try cli.run(["rotate-device-key", "--data", cli.path("laptop"), "--hub", hub.address])
        let newID = try status("laptop")
        #expect(newID != oldID && changed.contains(newID), "\(changed)")

        _ = try cli.run(["person", "update", "--data", cli.path("laptop"), person, "--set", "given_names=Written after"])
        _ = try cli.run(["sync", "--data", cli.path("laptop"), "--peer", hub.address])
        let file = try cli.run(["person", "show", "--data", cli.path("hub"), person])
        #expect(file.contains("Written before") && file.contains("Written after"), "\(file)")
        let devices = try cli.run(["admin", "devices", "--data", cli.path("hub")])
        #expect(devices.contains("RETIRED, now \(newID.prefix(8))"), "\(devices)")

        let old = try cli.relais.run(["sync", "--data", cli.path("old-copy"), "--peer", hub.address])
        #expect(old.status == 1 && old.error.contains("retired"), "\(old.error)")
        #expect(hub.isRunning)
    }

    private func status(_ name: String) throws -> String {
        let json = try cli.run(["status", "--data", cli.path(name), "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        return object["device"] as! String
    }
}
