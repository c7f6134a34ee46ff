import RelaisCore
import RelaisStore

/// Input: one mode byte, then pieces (`FuzzInput`), each an encoded change, applied in order to
/// a hub. Odd modes sign each decoded change as the fixture's enrolled device first, so inputs
/// reach the causal, schema and storage checks; even modes keep the input's own signatures.
enum ChangeTarget {
    static func run(_ input: [UInt8]) -> FuzzOutcome {
        guard let mode = input.first else { return .rejected }
        var changes: [Change] = []
        for piece in FuzzInput.pieces(input.dropFirst()) {
            guard let change = try? Change(decoding: piece) else { return .rejected }
            changes.append(change)
        }
        return apply(changes, signedByDevice: mode & 1 == 1)
    }

    /// Applies `changes` to a new fixture's hub, as a session or a bundle import would; accepted
    /// when the hub holds them all at the end (some may wait for a later one, as a redacted change
    /// waits for its erasure).
    static func apply(_ changes: [Change], signedByDevice: Bool) -> FuzzOutcome {
        guard !changes.isEmpty, let fixture = try? ReplicaFixture.make() else { return .rejected }
        let signed = signedByDevice ? changes.map(fixture.signedByDevice) : changes
        var outcome = FuzzOutcome.accepted
        for change in signed {
            switch try? fixture.hub.apply(remote: change) {
            case .applied?, .pending?: continue
            default: outcome = .rejected
            }
        }
        guard let held = try? fixture.hub.versionVector,
            signed.allSatisfy({ held.contains(origin: $0.origin, sequence: $0.sequence) })
        else { return .rejected }
        return outcome
    }

    static func seeds() throws -> [[UInt8]] {
        let changes = try ReplicaFixture.sampleChanges()
        return [
            [1] + FuzzInput.joining(changes.map(\.encoded)),
            [1] + FuzzInput.joining([changes[0].encoded]),
        ]
    }
}
