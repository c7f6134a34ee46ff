import Logging
import RelaisCore

/// Keeps one configured peer (typically the hub) in sync: at once, then whenever local data
/// changes and at least every `interval`; after failures it backs off exponentially with jitter,
/// so fifty laptops coming back online do not hammer the hub together.
struct PeerScheduler {
    let peer: PeerAddress
    let node: LocalNode
    let interval: Duration
    let logger: Logger

    func run() async {
        let events = node.events.subscribe()
        var failures = 0
        var syncedVector: VersionVector?
        while !Task.isCancelled {
            let before = try? await node.versionVector()
            do {
                let report = try await SyncClient.sync(with: peer, node: node)
                failures = 0
                syncedVector = report.changesReceived > 0 ? try? await node.versionVector() : before
                logger.info(
                    "synced",
                    metadata: ["peer": "\(peer)", "sent": "\(report.changesSent)", "received": "\(report.changesReceived)"])
            } catch {
                failures += 1
                logger.notice("sync failed", metadata: ["peer": "\(peer)", "error": "\(error)", "failures": "\(failures)"])
                try? await Task.sleep(for: Self.backoff(failures: failures))
                continue
            }
            await waitForChange(since: syncedVector, events)
        }
    }

    /// Returns when local data changed since `vector` (a session with another peer, or a write by
    /// the CLI), or after `interval`.
    private func waitForChange(since vector: VersionVector?, _ events: StoreSubscription) async {
        // Events that came during the session are weighed too: they were queued.
        let deadline = ContinuousClock.now + interval
        while let event = await events.next(until: deadline) {
            switch event {
            // A vector the synced one holds whole is an earlier batch of that session.
            case .applied(let current): if let vector, vector.dominates(current) { continue } else { return }
            case .folderWritten: if let current = try? await node.versionVector(), current != vector { return }
            case .filled, .rosterAdopted, .revoked: continue
            }
        }
    }

    /// `backoffInitial · 2^(failures-1)`, capped, then scaled by a random factor in [0.5, 1.5).
    static func backoff(failures: Int) -> Duration {
        let exponent = min(failures - 1, 16)
        let base = min(Limits.backoffInitial * (1 << exponent), Limits.backoffMax)
        return base * Double.random(in: 0.5..<1.5)
    }
}
