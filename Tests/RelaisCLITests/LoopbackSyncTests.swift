import Foundation
import RelaisTestSupport
import Testing

/// Real daemons and real CLI processes on loopback: a hub and three field laptops.
@Suite(.serialized) struct LoopbackSyncTests {
    let folder = TemporaryFolder()
    let relais = RelaisProcess()

    func run(_ arguments: [String]) throws -> String {
        let result = try relais.run(arguments)
        #expect(result.status == 0, "\(arguments): \(result.error)")
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func path(_ name: String) -> String { folder.path + "/" + name }

    /// A hub with a running daemon, and `count` laptops enrolled with it.
    func team(laptops count: Int) throws -> (hub: DaemonProcess, laptops: [String]) {
        _ = try run(["init", "--data", path("hub"), "--name", "hub"])
        _ = try run(["team", "create", "--data", path("hub"), "--name", "CHU"])
        let hub = try DaemonProcess(data: path("hub"), logFolder: folder.path)
        var laptops: [String] = []
        for index in 0..<count {
            let laptop = path("laptop\(index)")
            _ = try run(["init", "--data", laptop, "--name", "laptop\(index)"])
            let token = try run(["admin", "invite", "--data", path("hub"), "--role", "field"])
            _ = try run(["join", "--data", laptop, "--hub", hub.address, "--token", token])
            laptops.append(laptop)
        }
        return (hub, laptops)
    }

    /// Every person's file and every conflict, as JSON: equal snapshots mean converged replicas.
    func snapshot(_ data: String) throws -> String {
        let list = try run(["person", "list", "--data", data, "--json"])
        let ids = (try JSONSerialization.jsonObject(with: Data(list.utf8)) as? [[String: Any]] ?? []).compactMap {
            $0["id"] as? String
        }
        return try ids.map { try run(["person", "show", "--data", data, $0, "--json"]) }.joined(separator: "\n")
            + (try run(["conflicts", "--data", data, "--json"]))
    }

    @Test func offlineWorkConvergesInStarPeerToPeerAndChainTopologies() throws {
        let (hub, laptops) = try team(laptops: 3)
        let shared = try run(["person", "add", "--data", path("hub"), "--set", "family_name=Diallo", "--set", "birth_date=1985"])
        for laptop in laptops { _ = try run(["sync", "--data", laptop, "--peer", hub.address]) }

        // Offline: every laptop writes, and two edit the same fact differently.
        for (index, laptop) in laptops.enumerated() {
            _ = try run(["person", "add", "--data", laptop, "--set", "family_name=Person\(index)"])
            _ = try run([
                "visit", "add", "--data", laptop, "--person", shared, "--set", "kind=home_visit", "--set",
                "note=visit by \(index)",
            ])
        }
        _ = try run(["person", "update", "--data", laptops[0], shared, "--set", "birth_date=1986"])
        _ = try run(["person", "update", "--data", laptops[1], shared, "--set", "birth_date=1987"])

        // Chain: laptop 2 never meets the hub; laptop 1 carries its work there.
        let relay = try DaemonProcess(data: laptops[1], logFolder: folder.path)
        _ = try run(["sync", "--data", laptops[2], "--peer", relay.address])
        relay.stop()
        // Star: laptops 0 and 1 sync with the hub, twice round.
        for _ in 0..<2 {
            for laptop in laptops.prefix(2) { _ = try run(["sync", "--data", laptop, "--peer", hub.address]) }
        }
        // Peer to peer: laptop 2 meets laptop 0 in a café.
        let cafe = try DaemonProcess(data: laptops[0], logFolder: folder.path)
        _ = try run(["sync", "--data", laptops[2], "--peer", cafe.address])
        cafe.stop()

        let reference = try snapshot(path("hub"))
        for laptop in laptops { #expect(try snapshot(laptop) == reference, "\(laptop) differs from the hub") }
        #expect(reference.contains("Person2"))
        let conflicts = try run(["conflicts", "--data", path("hub"), "--json"])
        #expect(conflicts.contains("1986") && conflicts.contains("1987"))
        #expect(hub.isRunning)
    }

    @Test func strangersAndGarbageAreRefusedAndTheDaemonKeepsServing() throws {
        let (hub, laptops) = try team(laptops: 1)
        // A device that never enrolled.
        _ = try run(["init", "--data", path("stranger")])
        let stranger = try relais.run(["sync", "--data", path("stranger"), "--peer", hub.address])
        #expect(stranger.status == 1)
        #expect(stranger.error.contains("not joined a team") || stranger.error.contains("no certificate"), "\(stranger.error)")
        // A device of another team.
        _ = try run(["init", "--data", path("otherhub")])
        _ = try run(["team", "create", "--data", path("otherhub"), "--name", "Other"])
        let otherHub = try DaemonProcess(data: path("otherhub"), logFolder: folder.path)
        _ = try run(["init", "--data", path("foreign")])
        let token = try run(["admin", "invite", "--data", path("otherhub"), "--role", "field"])
        _ = try run(["join", "--data", path("foreign"), "--hub", otherHub.address, "--token", token])
        let foreign = try relais.run(["sync", "--data", path("foreign"), "--peer", hub.address])
        #expect(foreign.status == 1)
        #expect(foreign.error.contains("belongs to team"), "\(foreign.error)")
        // Raw clients: garbage, an oversized announcement, a truncated frame (closed at the
        // handshake deadline), an empty frame, an unknown session kind.
        for garbage: [UInt8] in [
            Array("GET / HTTP/1.1\r\n\r\n".utf8), [0xFF, 0xFF, 1, 2], [0, 0], [0, 5, 1], [0, 3, 9, 9, 9],
        ] {
            #expect(FreePort.sendRaw(garbage, to: hub.port), "the hub kept a garbage connection open: \(garbage)")
        }
        // A used token and a made-up token.
        let reused = try relais.run([
            "join", "--data", path("stranger"), "--hub", hub.address, "--token",
            "0011223344556677-00112233445566778899aabbccddeeff",
        ])
        #expect(reused.status == 1)
        #expect(reused.error.contains("token is unknown"), "\(reused.error)")

        #expect(hub.isRunning)
        _ = try run(["person", "add", "--data", laptops[0], "--set", "family_name=StillServed"])
        #expect(try run(["sync", "--data", laptops[0], "--peer", hub.address]).contains("1 change(s) sent"))
        #expect(try run(["person", "search", "--data", path("hub"), "stillserved"]).contains("StillServed"))
        #expect(hub.stop() == 0, "the hub did not shut down gracefully:\n\(hub.log)")
    }

    @Test func twoLaptopsInOneRoomFindEachOtherWithNoHub() throws {
        let (hub, laptops) = try team(laptops: 2)
        hub.stop()
        let first = try DaemonProcess(data: laptops[0], discovery: true, logFolder: folder.path)
        let second = try DaemonProcess(data: laptops[1], discovery: true, logFolder: folder.path)
        _ = try run(["person", "add", "--data", laptops[0], "--set", "family_name=FoundByMulticast"])
        var found = false
        for _ in 0..<120 where !found {
            Thread.sleep(forTimeInterval: 0.25)
            found = try run(["person", "list", "--data", laptops[1]]).contains("FoundByMulticast")
        }
        #expect(found, "no discovery:\n\(first.log)\n\(second.log)")
        #expect(!first.log.contains("discovery disabled"))
    }

    @Test func theDaemonPushesLocalWritesWithoutARestart() throws {
        let (hub, laptops) = try team(laptops: 1)
        let daemon = try DaemonProcess(data: laptops[0], peers: [hub.address], logFolder: folder.path)
        _ = try run(["person", "add", "--data", laptops[0], "--set", "family_name=Pushed"])
        var found = false
        for _ in 0..<60 where !found {
            Thread.sleep(forTimeInterval: 0.25)
            found = try run(["person", "list", "--data", path("hub")]).contains("Pushed")
        }
        #expect(found, "the write did not reach the hub:\n\(daemon.log)")
        let status = try run(["status", "--data", laptops[0], "--json"])
        #expect(status.contains("last_successful_sync"))
        #expect(daemon.stop() == 0)
    }
}

/// Sessions cut at random byte offsets by a proxy, and transfers by file.
@Suite(.serialized) struct InterruptedTransferTests {
    let folder = TemporaryFolder()
    let relais = RelaisProcess()

    func run(_ arguments: [String]) throws -> String {
        let result = try relais.run(arguments)
        #expect(result.status == 0, "\(arguments): \(result.error)")
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func path(_ name: String) -> String { folder.path + "/" + name }

    func hubAndLaptop() throws -> DaemonProcess {
        _ = try run(["init", "--data", path("hub")])
        _ = try run(["team", "create", "--data", path("hub"), "--name", "CHU"])
        let hub = try DaemonProcess(data: path("hub"), logFolder: folder.path)
        _ = try run(["init", "--data", path("laptop")])
        let token = try run(["admin", "invite", "--data", path("hub"), "--role", "field"])
        _ = try run(["join", "--data", path("laptop"), "--hub", hub.address, "--token", token])
        return hub
    }

    func changeCount(_ data: String) throws -> Int {
        let log = try JSONSerialization.jsonObject(with: Data(try run(["log", "--data", data, "--json"]).utf8)) as! [String: Any]
        return (log["changes"] as! [Any]).count
    }

    @Test func aConnectionCutAtRandomOffsetsLosesNothingAndDuplicatesNothing() throws {
        let hub = try hubAndLaptop()
        let note = String(repeating: "n", count: 1_900)
        for index in 0..<12 {
            _ = try run([
                "person", "add", "--data", path("hub"), "--set", "family_name=Hub\(index)", "--set", "objectives=\(note)",
                "--set", "care_refusals=\(note)",
            ])
            _ = try run([
                "person", "add", "--data", path("laptop"), "--set", "family_name=Laptop\(index)", "--set", "objectives=\(note)",
            ])
        }
        var generator = SeededGenerator(seed: Seeds.forTest(defaultCount: 1)[0])
        var cuts = 0
        for _ in 0..<6 {
            let offset = Int.random(in: 40...60_000, using: &generator)
            let proxy = try CuttingProxy(target: hub.port, cutAfterBytes: offset)
            let cut = try relais.run(["sync", "--data", path("laptop"), "--peer", "127.0.0.1:\(proxy.port)"])
            if cut.status != 0 { cuts += 1 }
            #expect(
                cut.status == 0 || cut.error.contains("failed") || cut.error.contains("cannot reach"),
                "offset \(offset): \(cut.error)")
        }
        #expect(cuts > 0, "no session was actually cut")
        _ = try run(["sync", "--data", path("laptop"), "--peer", hub.address])
        _ = try run(["sync", "--data", path("laptop"), "--peer", hub.address])
        let hubChanges = try changeCount(path("hub"))
        #expect(try changeCount(path("laptop")) == hubChanges)
        #expect(
            try run(["person", "list", "--data", path("laptop"), "--json"])
                == run(["person", "list", "--data", path("hub"), "--json"]))
        #expect(try run(["person", "list", "--data", path("hub")]).components(separatedBy: "\n").count == 24)
    }

    @Test func aBundleCarriesWhatTheDeviceLacksAndATamperedOneChangesNothing() throws {
        let hub = try hubAndLaptop()
        _ = try run(["sync", "--data", path("laptop"), "--peer", hub.address])
        hub.stop()
        _ = try run(["person", "add", "--data", path("hub"), "--set", "family_name=ByUsbKey"])
        let devices =
            try JSONSerialization.jsonObject(with: Data(try run(["admin", "devices", "--data", path("hub"), "--json"]).utf8))
            as! [[String: Any]]
        let laptopID = devices.first { ($0["is_this_device"] as? Bool) == false }!["device"] as! String
        let bundle = path("usb.relais")
        #expect(
            try run(["bundle", "export", "--data", path("hub"), "--for-peer", laptopID, "--out", bundle]).contains(
                "Wrote 1 change"))

        var tampered = [UInt8](FileManager.default.contents(atPath: bundle)!)
        tampered[tampered.count - 5] ^= 1
        _ = FileManager.default.createFile(atPath: path("tampered.relais"), contents: Data(tampered))
        let refused = try relais.run(["bundle", "import", "--data", path("laptop"), path("tampered.relais")])
        #expect(refused.status == 2)
        #expect(refused.error.contains("damaged or was altered"))
        #expect(try !run(["person", "list", "--data", path("laptop")]).contains("ByUsbKey"))

        #expect(try run(["bundle", "import", "--data", path("laptop"), bundle]).contains("1 applied"))
        #expect(try run(["person", "list", "--data", path("laptop")]).contains("ByUsbKey"))
        #expect(try run(["bundle", "import", "--data", path("laptop"), bundle]).contains("1 already held"))

        _ = try run(["init", "--data", path("loner")])
        _ = try run(["team", "create", "--data", path("loner"), "--name", "Other"])
        let foreign = try relais.run(["bundle", "import", "--data", path("loner"), bundle])
        #expect(foreign.status == 2)
        #expect(foreign.error.contains("another team"))
    }
}
