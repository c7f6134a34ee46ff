import Foundation
import RelaisHarness
import RelaisStore
import RelaisTestSupport
import Testing

/// Real daemons killed with SIGKILL at random moments while a mediator writes and the laptop
/// syncs with the hub: after restarts and a final sync, both databases pass SQLite's integrity
/// check and every write the CLI reported as saved is on both, once.
@Suite(.serialized) struct CrashTests {
    let cli = CLIWorkspace()

    @Test func killedDaemonsLoseNothingTheCLIReportedSaved() throws {
        let kills = Int(ProcessInfo.processInfo.environment["RELAIS_KILLS"] ?? "") ?? 8
        var hub = try cli.startTeam(laptops: ["laptop"])
        let hubPort = hub.port
        var laptop = try DaemonProcess(data: cli.path("laptop"), peers: [hub.address], logFolder: cli.folder.path)

        var generator = SeededGenerator(seed: 2026)
        var saved: [String] = []
        for kill in 0..<kills {
            for write in 0..<Int.random(in: 2...4, using: &generator) {
                let result = try cli.relais.run([
                    "person", "add", "--data", cli.path("laptop"), "--set", "family_name=Crash\(kill)x\(write)",
                ])
                if result.status == 0 { saved.append(result.output.trimmingCharacters(in: .whitespacesAndNewlines)) }
            }
            Thread.sleep(forTimeInterval: Double.random(in: 0...0.4, using: &generator))
            if Bool.random(using: &generator) {
                laptop.kill()
                laptop = try DaemonProcess(data: cli.path("laptop"), peers: [hub.address], logFolder: cli.folder.path)
            } else {
                hub.kill()
                hub = try DaemonProcess(data: cli.path("hub"), port: hubPort, logFolder: cli.folder.path)
            }
        }
        laptop.stop()
        hub.stop()
        let finalHub = try DaemonProcess(data: cli.path("hub"), port: hubPort, logFolder: cli.folder.path)
        _ = try cli.run(["sync", "--data", cli.path("laptop"), "--peer", finalHub.address])
        finalHub.stop()

        #expect(saved.count >= kills * 2)
        for name in ["hub", "laptop"] {
            let replica = try Replica.open(
                folder: cli.path(name), unlock: try Passphrases.unlock("test passphrase"), wallClock: TestClock.machine)
            #expect(try replica.integrityCheck() == ["ok"], "\(name)")
            let ids = try replica.listPersons().map(\.id)
            #expect(Set(ids).count == ids.count, "\(name): a person twice")
            #expect(Set(saved).isSubset(of: Set(ids)), "\(name) lacks \(Set(saved).subtracting(ids).count) saved write(s)")
        }
    }
}
