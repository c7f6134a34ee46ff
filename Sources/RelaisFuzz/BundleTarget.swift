import Foundation
import RelaisCore
import RelaisStore

/// Input: one mode byte, then either a whole bundle file a hub imports (even modes), or
/// the content a bundle seals once opened, decoded then applied as the fixture's device's (odd).
enum BundleTarget {
    static func run(_ input: [UInt8]) -> FuzzOutcome {
        guard let mode = input.first else { return .rejected }
        let rest = Array(input.dropFirst())
        if mode & 1 == 1 {
            guard let batch = try? BundleFormat.batch(decoding: rest) else { return .rejected }
            return ChangeTarget.apply(batch.changes, signedByDevice: true)
        }
        // A copy of the hub only for a bundle that opens: most inputs stop at the header or the seal.
        guard let batch = try? ReplicaFixture.shared().hub.openBundle(rest, named: "input"),
            let imported = try? ReplicaFixture.make().hub.importBatch(batch), imported.refused.isEmpty
        else { return .rejected }
        return .accepted
    }

    static func seeds() throws -> [[UInt8]] {
        let changes = try ReplicaFixture.sampleChanges()
        let fixture = try ReplicaFixture.make()
        for change in changes { try fixture.hub.apply(remote: fixture.signedByDevice(change)) }
        _ = try fixture.hub.exportBundle(missingFrom: VersionVector(), for: .everything, to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return [
            [1] + BundleFormat.content(of: ChangeBatch(changes)), [0] + Array(try Data(contentsOf: URL(fileURLWithPath: path))),
        ]
    }

    /// One file per process: libFuzzer runs inputs one at a time.
    private static let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("relais-fuzz-\(ProcessInfo.processInfo.processIdentifier).bundle").path
}
