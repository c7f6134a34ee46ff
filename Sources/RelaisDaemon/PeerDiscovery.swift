import Logging
import RelaisCore
import RelaisSync
import RelaisTransport

/// Finds team peers on the local network and syncs with them: two mediators in the same room
/// converge with no hub and no internet. Announcements carry no device id or personal data; a
/// peer that is not what it claims fails the session's authentication.
struct PeerDiscovery {
    let node: LocalNode
    let beacon: DiscoveryBeacon
    let listenPort: Int
    let logger: Logger

    func run() async {
        guard let team = try? await node.teamID() else {
            logger.notice("discovery idle: this node has not joined a team")
            return
        }
        let hint = Announcement.hint(for: team)
        let ours = Announcement(team: team, instance: UInt64.random(in: 1...UInt64.max), port: UInt16(listenPort))
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    while !Task.isCancelled {
                        beacon.announce(ours)
                        try? await Task.sleep(for: Limits.announceInterval)
                    }
                }
                var lastSynced: [PeerAddress: (at: ContinuousClock.Instant, vector: VersionVector?)] = [:]
                for await heard in beacon.listen() {
                    guard heard.announcement.teamHint == hint, heard.announcement.instance != ours.instance,
                        let peer = try? PeerAddress(parsing: "\(heard.host):\(heard.announcement.port)")
                    else { continue }
                    let vector = try? await node.versionVector()
                    if let last = lastSynced[peer], last.vector == vector,
                        ContinuousClock.now - last.at < Limits.discoveredPeerSyncInterval
                    {
                        continue
                    }
                    lastSynced[peer] = (ContinuousClock.now, vector)
                    group.addTask { await sync(with: peer) }
                }
            }
        } onCancel: {
            beacon.stop()
        }
    }

    private func sync(with peer: PeerAddress) async {
        do {
            let report = try await SyncClient.sync(with: peer, node: node)
            logger.info(
                "synced with discovered peer",
                metadata: ["peer": "\(peer)", "sent": "\(report.changesSent)", "received": "\(report.changesReceived)"])
        } catch {
            logger.notice("sync with discovered peer failed", metadata: ["peer": "\(peer)", "error": "\(error)"])
        }
    }
}
