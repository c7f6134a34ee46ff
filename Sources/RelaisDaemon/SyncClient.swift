import Foundation
import Logging
import RelaisCore
import RelaisStore
import RelaisSync
import RelaisTransport

/// What one session moved, for `relais sync` and the logs.
public struct SyncReport: Codable, Sendable {
    public let peer: String
    public let changesSent: Int
    public let changesReceived: Int
    public let bytesSent: Int
    public let bytesReceived: Int
    public let durationMilliseconds: Int
}

/// Opens sessions to peers: one sync, or an enrolment.
public enum SyncClient {
    /// Runs one sync session with `peer` as initiator; `progress` hears the changes sent and
    /// received so far after every batch.
    /// - Throws: `DaemonError.unreachable` or `.sessionFailed`.
    public static func sync(
        with peer: PeerAddress, node: LocalNode, progress: (@Sendable (_ sent: Int, _ received: Int) -> Void)? = nil
    ) async throws(DaemonError) -> SyncReport {
        let started = ContinuousClock.now
        let awaitedBefore = await node.awaitingPersons()
        var statistics = try await runSession(with: peer, node: node, keyChange: nil, progress: progress)
        // The session brought persons into this device's scope: their files are asked for at the
        // start of a session, so one more fills them in at once.
        if !(await node.awaitingPersons()).isSubset(of: awaitedBefore) {
            let more = try await runSession(with: peer, node: node, keyChange: nil, progress: progress)
            statistics.changesSent += more.changesSent
            statistics.changesReceived += more.changesReceived
            statistics.bytesSent += more.bytesSent
            statistics.bytesReceived += more.bytesReceived
        }
        let elapsed = ContinuousClock.now - started
        return SyncReport(
            peer: peer.description, changesSent: statistics.changesSent, changesReceived: statistics.changesReceived,
            bytesSent: statistics.bytesSent, bytesReceived: statistics.bytesReceived,
            durationMilliseconds: Int(elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        )
    }

    /// Asks the admin node at `hub` to certify new keys for this device, in a session
    /// authenticated with the current ones, then switches to them.
    /// - Throws: `DaemonError`, or `StoreError` when this device cannot ask or the answer does not verify.
    public static func changeKeys(with hub: PeerAddress, node: LocalNode) async throws -> DeviceCertificate {
        guard (try? await node.teamID()) != nil else { throw DaemonError.notInTeam }
        let request = try await node.keyChangeRequest()
        _ = try await runSession(with: hub, node: node, keyChange: request, progress: nil)
        return try await node.keyChangeOutcome()
    }

    private static func runSession(
        with peer: PeerAddress, node: LocalNode, keyChange: KeyChangeRequest?,
        progress: (@Sendable (_ sent: Int, _ received: Int) -> Void)?
    ) async throws(DaemonError) -> SessionStatistics {
        guard (try? await node.teamID()) != nil else { throw .notInTeam }
        let channel: FrameChannel
        do {
            channel = try await SyncTransport.connect(host: peer.host, port: peer.port)
        } catch {
            await node.recordSession(
                address: peer.description, device: nil, reason: .connectionLost, statistics: SessionStatistics())
            throw .unreachable(peer, "\(error)")
        }
        let session: SyncSession
        do {
            session = try SyncSession(
                role: .initiator, staticKey: await node.noiseKey, localHello: try await node.hello(), keyChange: keyChange)
        } catch {
            throw .sessionFailed(peer, "\(error)")
        }
        let (reason, statistics) = await SessionDriver.runSync(
            session, over: channel, port: node, hooks: progress.map(Self.progressHooks) ?? SessionHooks())
        if await node.isRevoked { throw .revoked }
        await node.recordSession(address: peer.description, device: statistics.peer, reason: reason, statistics: statistics)
        guard reason == .completed else { throw .sessionFailed(peer, reason.description) }
        return statistics
    }

    /// Hooks adding up the changes sent and received so far, for a progress line.
    private static func progressHooks(_ progress: @escaping @Sendable (_ sent: Int, _ received: Int) -> Void) -> SessionHooks {
        var totals = (sent: 0, received: 0)
        return SessionHooks(
            loaded: { batch in
                totals.sent += batch.changes.count
                progress(totals.sent, totals.received)
            },
            applied: { batch, _ in
                totals.received += batch.changes.count
                progress(totals.sent, totals.received)
            })
    }

    /// Enrols this node with the hub at `hub` using a one-time token, then joins the team.
    /// - Throws: `DaemonError.enrolmentFailed`, or `StoreError` for a malformed token.
    public static func enrol(with hub: PeerAddress, token: String, node: LocalNode) async throws -> DeviceCertificate {
        let (tokenID, preSharedKey) = try Replica.parseToken(token)
        let channel: FrameChannel
        do {
            channel = try await SyncTransport.connect(host: hub.host, port: hub.port)
        } catch {
            throw DaemonError.unreachable(hub, "\(error)")
        }
        let session = try EnrolmentSession(
            joinerKey: await node.noiseKey, tokenID: tokenID, preSharedKey: preSharedKey, identity: await node.identity())
        let (reason, grant) = await SessionDriver.runEnrolment(session, over: channel)
        guard let grant else {
            if case .refusedByPeer(let refusal) = reason { throw DaemonError.enrolmentFailed(refusal.reason) }
            let explanation =
                reason == .connectionLost
                ? "the hub closed the connection: the token's secret does not match (mistyped?), or \(hub) is not a Relais hub"
                : reason.description
            throw DaemonError.enrolmentFailed(explanation)
        }
        try await node.join(grant)
        return grant.certificate
    }
}
