import Glibc
import NIOCore

/// Failures of the daemon and of one-shot sync commands, in words an operator can act on.
public enum DaemonError: Error, Sendable, CustomStringConvertible {
    case badAddress(String)
    case badConfig(String)
    case unreachable(PeerAddress, String)
    case sessionFailed(PeerAddress, String)
    case enrolmentFailed(String)
    case notInTeam
    case revoked
    case keyChangeUnanswered
    case daemonRunning(String)
    /// The daemon cannot listen where it was told to.
    case cannotListen(PeerAddress, String)

    public var description: String {
        switch self {
        case .badAddress(let text): "'\(text)' is not HOST:PORT"
        case .badConfig(let reason): "bad configuration: \(reason)"
        case .unreachable(let peer, let reason): "cannot reach \(peer): \(reason)"
        case .sessionFailed(let peer, let reason): "sync with \(peer) failed: \(reason)"
        case .enrolmentFailed(let reason): "enrolment failed: \(reason)"
        case .revoked: "this device was revoked by the team admin: its keyring has been destroyed"
        case .daemonRunning(let folder): "'relais serve' is running on \(folder): stop it first (systemctl stop relais-field)"
        case .keyChangeUnanswered:
            "the admin node did not answer the key change; nothing changed here: run 'relais rotate-device-key' again"
        case .cannotListen(let address, let reason): "cannot listen on \(address): \(reason)"
        case .notInTeam: "this node has not joined a team yet: run 'relais join' (or 'relais team create' on a hub)"
        }
    }

    /// Bad input (exit code 2) as opposed to a failure (exit code 1).
    public var isBadInput: Bool {
        switch self {
        case .badAddress, .badConfig, .daemonRunning: true
        case .unreachable, .sessionFailed, .enrolmentFailed, .notInTeam, .revoked, .keyChangeUnanswered, .cannotListen: false
        }
    }
}

extension DaemonError {
    /// Why binding `address` failed, in words: the port taken, or one this user may not use.
    public static func listening(on address: PeerAddress, _ error: any Error) -> DaemonError {
        guard let error = error as? IOError else { return .cannotListen(address, "\(error)") }
        switch error.errnoCode {
        case EADDRINUSE: return .cannotListen(address, "the port is already in use (is another 'relais serve' running?)")
        case EACCES: return .cannotListen(address, "this user may not use that port (ports below 1024 need privileges)")
        case EADDRNOTAVAIL: return .cannotListen(address, "this machine has no such address")
        default: return .cannotListen(address, String(cString: strerror(error.errnoCode)))
        }
    }
}
