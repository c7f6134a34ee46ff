import Logging
import Synchronization
import NIOCore
import RelaisCore
import RelaisSync

/// Accepts sessions: sync with enrolled devices and, on an admin hub, enrolments.
///
/// A bad peer only ever closes its own session: every failure ends in that session's close
/// reason, logged, and the accept loop goes on.
public struct SyncServer: Sendable {
    let node: LocalNode
    let logger: Logger
    private let activeSessions = SessionCount()

    public init(node: LocalNode, logger: Logger) {
        self.node = node
        self.logger = logger
    }

    /// Serves until cancelled.
    public func serve(_ listener: NIOAsyncChannel<FrameChannel, Never>, onSession: @escaping @Sendable () -> Void = {})
        async throws
    {
        try await listener.executeThenClose { connections in
            try await withThrowingDiscardingTaskGroup { group in
                for try await connection in connections {
                    let admitted = activeSessions.admit()
                    guard admitted else {
                        logger.warning(
                            "session refused: too many sessions", metadata: ["limit": "\(RelaisSync.Limits.sessionsMax)"])
                        try? await connection.channel.close()
                        continue
                    }
                    group.addTask {
                        await handle(connection)
                        activeSessions.release()
                        onSession()
                    }
                }
            }
        }
    }

    private func handle(_ connection: FrameChannel) async {
        let remote = connection.channel.remoteAddress?.description ?? "unknown"
        let hello: PeerHello
        do { hello = try await node.hello() } catch {
            logger.error("cannot read the team state", metadata: ["error": "\(error)"])
            return
        }
        switch await SessionDriver.serve(connection, delegate: node, staticKey: await node.noiseKey, hello: hello) {
        case .sync(let reason, let statistics):
            log(
                reason, remote: remote,
                metadata: ["sent": "\(statistics.changesSent)", "received": "\(statistics.changesReceived)"])
        case .enrolment(let reason):
            log(reason, remote: remote, metadata: ["kind": "enrolment"])
        case .refused(let reason):
            logger.notice("session closed", metadata: ["peer": "\(remote)", "reason": "\(reason)"])
        }
    }

    private func log(_ reason: CloseReason, remote: String, metadata: Logger.Metadata) {
        var metadata = metadata
        metadata["peer"] = "\(remote)"
        metadata["reason"] = "\(reason)"
        if reason == .completed {
            logger.info("session completed", metadata: metadata)
        } else {
            logger.notice("session closed", metadata: metadata)
        }
    }
}

/// Sessions being served, bounded by `RelaisSync.Limits.sessionsMax`.
private final class SessionCount: Sendable {
    private let count = Mutex(0)

    func admit() -> Bool {
        count.withLock { count in
            guard count < RelaisSync.Limits.sessionsMax else { return false }
            count += 1
            return true
        }
    }

    func release() { count.withLock { $0 -= 1 } }
}
