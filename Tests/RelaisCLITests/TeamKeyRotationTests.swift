import Foundation
import RelaisHarness
import RelaisStore
import RelaisTestSupport
import Testing

/// `relais admin rotate-team-key` after a revocation, with real daemons: the team's laptops get
/// the new key at their next session; a thief with the revoked laptop, its passphrase and a copy
/// of every later change reads none of them.
@Suite(.serialized) struct TeamKeyRotationCLITests {
    let cli = CLIWorkspace()

    @Test func afterRotationTheTeamReadsNewWritesAndTheRevokedLaptopDoesNot() throws {
        let hub = try cli.startTeam(laptops: ["kept", "lost"])
        let alpha = try cli.run(["person", "add", "--data", cli.path("hub"), "--set", "family_name=Alpha"])
        for name in ["kept", "lost"] { _ = try cli.run(["sync", "--data", cli.path(name), "--peer", hub.address]) }
        try FileManager.default.copyItem(atPath: cli.path("lost"), toPath: cli.path("stolen"))

        let devices = try cli.run(["admin", "devices", "--data", cli.path("hub")])
        let lostID = devices.split(separator: "\n").first { $0.contains("lost") }!.prefix(8)
        _ = try cli.run(["admin", "revoke", "--data", cli.path("hub"), String(lostID)])
        let rotation = try cli.run(["admin", "rotate-team-key", "--data", cli.path("hub"), "--json"])
        #expect(rotation.contains("\"epoch\" : 2") && rotation.contains("\"devices\" : 2"), "\(rotation)")
        _ = try cli.run(["person", "update", "--data", cli.path("hub"), alpha, "--set", "family_name=AlphaAfter"])
        let beta = try cli.run(["person", "add", "--data", cli.path("hub"), "--set", "family_name=Beta"])

        _ = try cli.run(["sync", "--data", cli.path("kept"), "--peer", hub.address])
        #expect(try cli.run(["person", "list", "--data", cli.path("kept")]).contains("AlphaAfter"))
        _ = try cli.run([
            "visit", "add", "--data", cli.path("kept"), "--person", beta, "--set", "kind=home_visit", "--set",
            "note=Seen at the café",
        ])
        _ = try cli.run(["sync", "--data", cli.path("kept"), "--peer", hub.address])
        #expect(try cli.run(["person", "show", "--data", cli.path("hub"), beta]).contains("Seen at the café"))

        // Every change the hub holds, applied on the thief's copy of the revoked laptop.
        let stolen = try Replica.open(
            folder: cli.path("stolen"), unlock: try Passphrases.unlock("test passphrase"), wallClock: TestClock.machine)
        let copy = try Replica.open(
            folder: cli.path("kept"), unlock: try Passphrases.unlock("test passphrase"), wallClock: TestClock.machine)
        for change in try copy.changes(missingFrom: try stolen.versionVector) { try stolen.apply(remote: change) }
        #expect(try stolen.versionVector == copy.versionVector)
        let file = "\(try stolen.personFile(alpha))"
        #expect(!file.contains("AlphaAfter"))
        #expect(throws: StoreError.self) { try stolen.personFile(beta) }
        #expect(hub.isRunning)
    }
}
