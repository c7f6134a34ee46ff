import Foundation
import RelaisHarness
import RelaisStore
import RelaisTestSupport
import Testing

/// Real daemons and real CLI processes on loopback: a hub and three field laptops.
@Suite(.serialized) struct LoopbackSyncTests {
    let cli = CLIWorkspace()

    /// A hub with a running daemon, and `count` laptops enrolled with it.
    func team(laptops count: Int) throws -> (hub: DaemonProcess, laptops: [String]) {
        let names = (0..<count).map { "laptop\($0)" }
        return (try cli.startTeam(laptops: names), names.map(cli.path))
    }

    @Test func offlineWorkConvergesInStarPeerToPeerAndChainTopologies() throws {
        let (hub, laptops) = try team(laptops: 3)
        let shared = try cli.run([
            "person", "add", "--data", cli.path("hub"), "--set", "family_name=Diallo", "--set", "birth_date=1985",
        ])
        for laptop in laptops { _ = try cli.run(["sync", "--data", laptop, "--peer", hub.address]) }

        // Offline: every laptop writes, and two edit the same fact differently.
        for (index, laptop) in laptops.enumerated() {
            _ = try cli.run(["person", "add", "--data", laptop, "--set", "family_name=Person\(index)"])
            _ = try cli.run([
                "visit", "add", "--data", laptop, "--person", shared, "--set", "kind=home_visit", "--set",
                "note=visit by \(index)",
            ])
        }
        _ = try cli.run(["person", "update", "--data", laptops[0], shared, "--set", "birth_date=1986"])
        _ = try cli.run(["person", "update", "--data", laptops[1], shared, "--set", "birth_date=1987"])

        // Chain: laptop 2 never meets the hub; laptop 1 carries its work there.
        let relay = try DaemonProcess(data: laptops[1], logFolder: cli.folder.path)
        _ = try cli.run(["sync", "--data", laptops[2], "--peer", relay.address])
        relay.stop()
        // Star: laptops 0 and 1 sync with the hub, twice round.
        for _ in 0..<2 {
            for laptop in laptops.prefix(2) { _ = try cli.run(["sync", "--data", laptop, "--peer", hub.address]) }
        }
        // Peer to peer: laptop 2 meets laptop 0 in a café.
        let cafe = try DaemonProcess(data: laptops[0], logFolder: cli.folder.path)
        _ = try cli.run(["sync", "--data", laptops[2], "--peer", cafe.address])
        cafe.stop()

        let reference = try cli.snapshot(cli.path("hub"))
        for laptop in laptops { #expect(try cli.snapshot(laptop) == reference, "\(laptop) differs from the hub") }
        #expect(reference.contains("Person2"))
        let conflicts = try cli.run(["conflicts", "--data", cli.path("hub"), "--json"])
        #expect(conflicts.contains("1986") && conflicts.contains("1987"))
        // The hub called no one, yet knows when each laptop last called it (the admin's Équipe page).
        let hubStatus = try cli.run(["status", "--data", cli.path("hub")])
        for laptop in laptops {
            let status = try JSONSerialization.jsonObject(with: Data(try cli.run(["status", "--data", laptop, "--json"]).utf8))
            let device = try #require((status as? [String: Any])?["device"] as? String)
            #expect(hubStatus.contains("Peer from device \(device.prefix(8)): last success 20"), "\(hubStatus)")
        }
        #expect(hub.isRunning)
    }

    @Test func strangersAndGarbageAreRefusedAndTheDaemonKeepsServing() throws {
        let (hub, laptops) = try team(laptops: 1)
        // A device that never enrolled.
        _ = try cli.run(["init", "--data", cli.path("stranger")])
        let stranger = try cli.relais.run(["sync", "--data", cli.path("stranger"), "--peer", hub.address])
        #expect(stranger.status == 1)
        #expect(stranger.error.contains("not joined a team") || stranger.error.contains("no certificate"), "\(stranger.error)")
        // A device of another team.
        _ = try cli.run(["init", "--data", cli.path("otherhub")])
        _ = try cli.run(["team", "create", "--data", cli.path("otherhub"), "--name", "Other"])
        let otherHub = try DaemonProcess(data: cli.path("otherhub"), logFolder: cli.folder.path)
        _ = try cli.run(["init", "--data", cli.path("foreign")])
        let token = try cli.run(["admin", "invite", "--data", cli.path("otherhub"), "--role", "field"])
        _ = try cli.run(["join", "--data", cli.path("foreign"), "--hub", otherHub.address, "--token", token])
        let foreign = try cli.relais.run(["sync", "--data", cli.path("foreign"), "--peer", hub.address])
        #expect(foreign.status == 1)
        #expect(foreign.error.contains("belongs to team"), "\(foreign.error)")
        // Raw clients: garbage, an oversized announcement, a truncated frame (closed at the
        // handshake deadline), an empty frame, an unknown session kind.
        for garbage: [UInt8] in [
            Array("GET / HTTP/1.1\r\n\r\n".utf8), [0xFF, 0xFF, 1, 2], [0, 0], [0, 5, 1], [0, 3, 9, 9, 9],
        ] {
            #expect(FreePort.sendRaw(garbage, to: hub.port), "the hub kept a garbage connection open: \(garbage)")
        }
        #expect(hub.logShows("the handshake did not complete within 10 s"), "\(hub.log)")
        // A used token and a made-up token.
        let reused = try cli.relais.run([
            "join", "--data", cli.path("stranger"), "--hub", hub.address, "--token",
            "0011223344556677-00112233445566778899aabbccddeeff",
        ])
        #expect(reused.status == 1)
        #expect(reused.error.contains("token is unknown"), "\(reused.error)")

        #expect(hub.isRunning)
        _ = try cli.run(["person", "add", "--data", laptops[0], "--set", "family_name=StillServed"])
        #expect(try cli.run(["sync", "--data", laptops[0], "--peer", hub.address]).contains("1 change(s) sent"))
        #expect(try cli.run(["person", "search", "--data", cli.path("hub"), "stillserved"]).contains("StillServed"))
        #expect(hub.stop() == 0, "the hub did not shut down gracefully:\n\(hub.log)")
    }

    @Test func twoLaptopsInOneRoomFindEachOtherWithNoHub() throws {
        let (hub, laptops) = try team(laptops: 2)
        hub.stop()
        let first = try DaemonProcess(data: laptops[0], discovery: true, logFolder: cli.folder.path)
        let second = try DaemonProcess(data: laptops[1], discovery: true, logFolder: cli.folder.path)
        _ = try cli.run(["person", "add", "--data", laptops[0], "--set", "family_name=FoundByMulticast"])
        var found = false
        for _ in 0..<120 where !found {
            Thread.sleep(forTimeInterval: 0.25)
            found = try cli.run(["person", "list", "--data", laptops[1]]).contains("FoundByMulticast")
        }
        #expect(found, "no discovery:\n\(first.log)\n\(second.log)")
        #expect(!first.log.contains("discovery disabled"))
    }

    @Test func theDaemonPushesLocalWritesWithoutARestart() throws {
        let (hub, laptops) = try team(laptops: 1)
        let daemon = try DaemonProcess(data: laptops[0], peers: [hub.address], logFolder: cli.folder.path)
        // After the first sync, only the daemon's watch on its folder can bring the CLI's write
        // to the hub within 15 s: the next scheduled sync is a minute away.
        #expect(daemon.logShows("synced", within: 15))
        _ = try cli.run(["person", "add", "--data", laptops[0], "--set", "family_name=Pushed"])
        var found = false
        for _ in 0..<60 where !found {
            Thread.sleep(forTimeInterval: 0.25)
            found = try cli.run(["person", "list", "--data", cli.path("hub")]).contains("Pushed")
        }
        #expect(found, "the write did not reach the hub:\n\(daemon.log)")
        let status = try cli.run(["status", "--data", laptops[0], "--json"])
        #expect(status.contains("last_successful_sync"))
        #expect(daemon.stop() == 0)
    }
}

/// Sessions cut at random byte offsets by a proxy, and transfers by file.
@Suite(.serialized) struct InterruptedTransferTests {
    let cli = CLIWorkspace()

    func hubAndLaptop() throws -> DaemonProcess { try cli.startTeam(laptops: ["laptop"]) }

    func changeCount(_ data: String) throws -> Int {
        let log =
            try JSONSerialization.jsonObject(with: Data(try cli.run(["log", "--data", data, "--json"]).utf8)) as! [String: Any]
        return (log["changes"] as! [Any]).count
    }

    @Test func aConnectionCutAtRandomOffsetsLosesNothingAndDuplicatesNothing() throws {
        let hub = try hubAndLaptop()
        let note = String(repeating: "n", count: 1_900)
        for index in 0..<12 {
            _ = try cli.run([
                "person", "add", "--data", cli.path("hub"), "--set", "family_name=Hub\(index)", "--set", "objectives=\(note)",
                "--set", "care_refusals=\(note)",
            ])
            _ = try cli.run([
                "person", "add", "--data", cli.path("laptop"), "--set", "family_name=Laptop\(index)", "--set",
                "objectives=\(note)",
            ])
        }
        var generator = SeededGenerator(seed: Seeds.forTest(defaultCount: 1)[0])
        var cuts = 0
        for _ in 0..<6 {
            let offset = Int.random(in: 40...60_000, using: &generator)
            let proxy = try FaultProxy(target: hub.port, cutAfterBytes: offset)
            let cut = try cli.relais.run(["sync", "--data", cli.path("laptop"), "--peer", "127.0.0.1:\(proxy.port)"])
            if cut.status != 0 { cuts += 1 }
            #expect(
                cut.status == 0 || cut.error.contains("failed") || cut.error.contains("cannot reach"),
                "offset \(offset): \(cut.error)")
        }
        #expect(cuts > 0, "no session was actually cut")
        _ = try cli.run(["sync", "--data", cli.path("laptop"), "--peer", hub.address])
        _ = try cli.run(["sync", "--data", cli.path("laptop"), "--peer", hub.address])
        let hubChanges = try changeCount(cli.path("hub"))
        #expect(try changeCount(cli.path("laptop")) == hubChanges)
        #expect(
            try cli.run(["person", "list", "--data", cli.path("laptop"), "--json"])
                == cli.run(["person", "list", "--data", cli.path("hub"), "--json"]))
        #expect(try cli.run(["person", "list", "--data", cli.path("hub")]).components(separatedBy: "\n").count == 24)
    }

    func addPersons(_ count: Int, on name: String, note: String) throws {
        for index in 0..<count {
            _ = try cli.run([
                "person", "add", "--data", cli.path(name), "--set", "family_name=\(name)\(index)", "--set", "objectives=\(note)",
            ])
        }
    }

    @Test func flippedBytesFailTheSessionAndNeverReachTheDatabase() throws {
        let hub = try hubAndLaptop()
        let note = String(repeating: "o", count: 1_500)
        try addPersons(8, on: "hub", note: note)
        try addPersons(8, on: "laptop", note: note)
        var generator = SeededGenerator(seed: Seeds.forTest(defaultCount: 1)[0])
        var failed = 0
        for _ in 0..<5 {
            let offset = Int.random(in: 0...20_000, using: &generator)
            let proxy = try FaultProxy(target: hub.port, faults: .init(flipAtBytes: [offset]))
            let flipped = try cli.relais.run(["sync", "--data", cli.path("laptop"), "--peer", "127.0.0.1:\(proxy.port)"])
            if flipped.status != 0 { failed += 1 }
            #expect(flipped.status == 0 || flipped.error.contains("failed"), "offset \(offset): \(flipped.error)")
        }
        #expect(failed > 0, "no flipped byte was noticed")
        _ = try cli.run(["sync", "--data", cli.path("laptop"), "--peer", hub.address])
        _ = try cli.run(["sync", "--data", cli.path("laptop"), "--peer", hub.address])
        let files = try cli.run(["person", "list", "--data", cli.path("hub"), "--json"])
        #expect(try cli.run(["person", "list", "--data", cli.path("laptop"), "--json"]) == files)
        #expect(try changeCount(cli.path("laptop")) == changeCount(cli.path("hub")))
        for name in ["hub", "laptop"] {
            let replica = try Replica.open(
                folder: cli.path(name), unlock: try Passphrases.unlock("test passphrase"), wallClock: TestClock.machine)
            #expect(try replica.integrityCheck() == ["ok"])
            let persons = try replica.listPersons()
            #expect(persons.count == 16)
            for person in persons {
                #expect(try replica.personFile(person.id).fields.first { $0.name == "objectives" }?.values == [note])
            }
        }
    }

    /// 32 KB/s with 300 ms round trips: slow, but the session completes and moves everything.
    @Test func aThrottledLinkWithLatencyStillCompletes() throws {
        let hub = try hubAndLaptop()
        try addPersons(16, on: "laptop", note: String(repeating: "t", count: 1_500))
        let proxy = try FaultProxy(
            target: hub.port, faults: .init(bytesPerSecond: 32 * 1_024, delay: .milliseconds(150)))
        let started = ContinuousClock.now
        let slow = try cli.relais.run(["sync", "--data", cli.path("laptop"), "--peer", "127.0.0.1:\(proxy.port)"])
        #expect(slow.status == 0, "\(slow.error)")
        #expect(ContinuousClock.now - started > .milliseconds(900), "the link was not slowed")
        #expect(try changeCount(cli.path("hub")) == changeCount(cli.path("laptop")))
    }

    @Test func aBundleCarriesWhatTheDeviceLacksAndATamperedOneChangesNothing() throws {
        let hub = try hubAndLaptop()
        _ = try cli.run(["sync", "--data", cli.path("laptop"), "--peer", hub.address])
        hub.stop()
        _ = try cli.run(["person", "add", "--data", cli.path("hub"), "--set", "family_name=ByUsbKey"])
        let devices =
            try JSONSerialization.jsonObject(
                with: Data(try cli.run(["admin", "devices", "--data", cli.path("hub"), "--json"]).utf8))
            as! [[String: Any]]
        let laptopID = devices.first { ($0["is_this_device"] as? Bool) == false }!["device"] as! String
        let bundle = cli.path("usb.relais")
        #expect(
            try cli.run(["bundle", "export", "--data", cli.path("hub"), "--for-peer", laptopID, "--out", bundle]).contains(
                "Wrote 1 change"))

        var tampered = [UInt8](FileManager.default.contents(atPath: bundle)!)
        tampered[tampered.count - 5] ^= 1
        _ = FileManager.default.createFile(atPath: cli.path("tampered.relais"), contents: Data(tampered))
        let refused = try cli.relais.run(["bundle", "import", "--data", cli.path("laptop"), cli.path("tampered.relais")])
        #expect(refused.status == 2)
        #expect(refused.error.contains("damaged or was altered"))
        #expect(try !cli.run(["person", "list", "--data", cli.path("laptop")]).contains("ByUsbKey"))

        #expect(try cli.run(["bundle", "import", "--data", cli.path("laptop"), bundle]).contains("1 applied"))
        #expect(try cli.run(["person", "list", "--data", cli.path("laptop")]).contains("ByUsbKey"))
        #expect(try cli.run(["bundle", "import", "--data", cli.path("laptop"), bundle]).contains("1 already held"))

        _ = try cli.run(["init", "--data", cli.path("loner")])
        _ = try cli.run(["team", "create", "--data", cli.path("loner"), "--name", "Other"])
        let foreign = try cli.relais.run(["bundle", "import", "--data", cli.path("loner"), bundle])
        #expect(foreign.status == 2)
        #expect(foreign.error.contains("another team"))
    }
}
