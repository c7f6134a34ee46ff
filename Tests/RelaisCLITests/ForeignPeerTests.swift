import Foundation
import RelaisCore
import RelaisHarness
import RelaisSync
import RelaisTestSupport
import Testing

/// A peer of another implementation, an older release or an impostor holding a valid token,
/// against a real hub daemon (SPEC.md §9, §12). The peer runs in this process: `make test` runs
/// this suite on its own, since CPU-bound suites beside it would starve the peer's tasks past
/// the 10 s handshake deadline.
@Suite(.serialized) struct ForeignPeerTests {
    let cli = CLIWorkspace()

    func deviceID(_ data: String) throws -> DeviceID {
        let status = try cli.run(["status", "--data", data, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(status.utf8)) as? [String: Any]
        let hex = try #require(object?["device"] as? String)
        return DeviceID(try #require(Identifier128(hex: hex)))
    }

    /// A token used to claim `device`: the hub must refuse it, naming why, and keep its roster.
    func expectImpersonationRefused(of device: DeviceID, hub: DaemonProcess) async throws {
        let devicesBefore = try cli.run(["admin", "devices", "--data", cli.path("hub"), "--json"])
        let token = try cli.run(["admin", "invite", "--data", cli.path("hub"), "--role", "field"])
        let (reason, grant) = try await ForeignPeer.enrol(at: hub.port, token: token, claiming: device, name: "clone")
        #expect(grant == nil, "the hub certified a second device under \(device)")
        guard case .refusedByPeer(let refusal) = reason else {
            Issue.record("expected a refusal, got: \(reason)\n\(hub.log)")
            return
        }
        #expect(refusal.code == .protocolViolation)
        #expect(refusal.reason.contains("already known to this team"), "\(refusal.reason)")
        #expect(try cli.run(["admin", "devices", "--data", cli.path("hub"), "--json"]) == devicesBefore)
        #expect(hub.logShows("session refused"), "the hub did not warn:\n\(hub.log)")
        // The token is used up: whoever held it tried to pass for another device.
        _ = try cli.run(["init", "--data", cli.path("after-\(device)")])
        let reuse = try cli.relais.run(["join", "--data", cli.path("after-\(device)"), "--hub", hub.address, "--token", token])
        #expect(reuse.status == 1 && reuse.error.contains("already used"), "\(reuse.error)")
    }

    @Test func aTokenCannotCertifyALaptopsOrTheHubsID() async throws {
        let hub = try cli.startTeam(laptops: ["victim"])
        let victim = cli.path("victim")
        try await expectImpersonationRefused(of: try deviceID(victim), hub: hub)
        try await expectImpersonationRefused(of: try deviceID(cli.path("hub")), hub: hub)

        // The genuine devices' changes still verify both ways.
        _ = try cli.run(["person", "add", "--data", victim, "--set", "family_name=FromTheVictim"])
        _ = try cli.run(["person", "add", "--data", cli.path("hub"), "--set", "family_name=FromTheHub"])
        _ = try cli.run(["sync", "--data", victim, "--peer", hub.address])
        #expect(try cli.run(["person", "search", "--data", cli.path("hub"), "fromthevictim"]).contains("FromTheVictim"))
        #expect(try cli.run(["person", "search", "--data", victim, "fromthehub"]).contains("FromTheHub"))
        // What the hub signed after the attempt verifies on the laptop, under the hub's own key.
        let found = try cli.run(["person", "search", "--data", victim, "fromthehub", "--json"])
        let person = try #require(
            (try JSONSerialization.jsonObject(with: Data(found.utf8)) as? [[String: Any]])?.first?["id"] as? String)
        let history = try cli.run(["history", "--data", victim, person, "--json"])
        let entries = try JSONSerialization.jsonObject(with: Data(history.utf8)) as? [[String: Any]] ?? []
        #expect(!entries.isEmpty && entries.allSatisfy { $0["is_signature_valid"] as? Bool == true }, "\(history)")
    }

    /// A sync from a peer speaking `version` and needing at least `minimum`: the hub must refuse it
    /// with `VERSION_TOO_OLD`, naming the version the older side speaks and the one it needs.
    func expectVersionRefused(version: UInt32, minimum: UInt32, speaking old: UInt32, needing needed: UInt32, hub: DaemonProcess)
        async throws
    {
        let hello = PeerHello(protocolVersion: version, protocolVersionMin: minimum, certificate: nil, rosterVersion: 0)
        let reason = try await ForeignPeer.sync(at: hub.port, presenting: hello)
        guard case .refusedByPeer(let refusal) = reason else {
            Issue.record("a peer of protocol \(version) (minimum \(minimum)) was not refused: \(reason)")
            return
        }
        #expect(refusal.code == .versionTooOld)
        #expect(
            refusal.reason.contains("speaks protocol \(old)") && refusal.reason.contains("needs \(needed) or later"),
            "\(refusal.reason)")
    }

    @Test func aPeerOfAnIncompatibleVersionIsRefusedNamingTheVersionNeeded() async throws {
        let hub = try cli.startTeam(laptops: [])
        let current = RelaisSync.Limits.protocolVersion
        try await expectVersionRefused(
            version: current - 1, minimum: current - 1, speaking: current - 1, needing: current, hub: hub)
        // A newer peer that no longer speaks this version: the hub is the side to upgrade.
        try await expectVersionRefused(
            version: current + 2, minimum: current + 1, speaking: current, needing: current + 1, hub: hub)
        #expect(hub.isRunning)
    }
}
