import RelaisDaemon
import Synchronization

/// "Synchroniser maintenant": one session with each configured peer (the hub, on a field
/// laptop), run in the background while the page shows its progress, then its outcome in words.
final class SyncNow: Sendable {
    struct State: Sendable {
        var running = false
        var sent = 0
        var received = 0
        /// The outcome of the last run, in French; nil before any.
        var outcome: String?
        var failed = false
    }

    private let state = Mutex(State())
    private let node: LocalNode
    private let peers: [PeerAddress]

    init(node: LocalNode, peers: [PeerAddress]) {
        self.node = node
        self.peers = peers
    }

    var current: State { state.withLock { $0 } }

    /// Starts a run unless one is going on.
    func start() {
        guard peers.isEmpty == false else {
            state.withLock {
                $0 = State(
                    outcome: "Aucun hub n'est configuré sur cet ordinateur : demandez à l'administrateur de l'équipe.",
                    failed: true)
            }
            return
        }
        let started = state.withLock { state -> Bool in
            guard !state.running else { return false }
            state = State(running: true)
            return true
        }
        guard started else { return }
        Task {
            var outcomes: [String] = []
            var failed = false
            for peer in peers {
                do {
                    let report = try await SyncClient.sync(with: peer, node: node) { sent, received in
                        self.state.withLock { ($0.sent, $0.received) = (sent, received) }
                    }
                    let kilobytes = (report.bytesSent + report.bytesReceived + 1_023) / 1_024
                    outcomes.append(
                        "Synchronisé avec le hub : \(Self.changes(report.changesSent)) envoyée(s), \(report.changesReceived) reçue(s) (\(kilobytes) ko)."
                    )
                } catch {
                    failed = true
                    outcomes.append((error as? DaemonError).map(Self.words) ?? Self.words(.sessionFailed(peer, "\(error)")))
                }
            }
            state.withLock { state in
                state.running = false
                state.outcome = outcomes.joined(separator: " ")
                state.failed = failed
            }
        }
    }

    private static func changes(_ count: Int) -> String { count == 1 ? "1 modification" : "\(count) modifications" }

    /// What went wrong, for a mediator: where the data is, and what to do.
    static func words(_ error: DaemonError) -> String {
        switch error {
        case .unreachable:
            "Le hub n'est pas joignable : vos saisies sont gardées sur cet ordinateur. Réessayez une fois connecté."
        case .notInTeam: "Cet ordinateur n'a pas encore rejoint d'équipe : demandez à l'administrateur de l'équipe."
        case .revoked: "Cet ordinateur a été retiré de l'équipe : il ne peut plus se synchroniser."
        default:
            "La synchronisation avec le hub n'a pas abouti : vos saisies sont gardées sur cet ordinateur. Réessayez plus tard."
        }
    }
}
