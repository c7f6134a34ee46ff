import Metrics
import RelaisCore
import RelaisSync

/// What an admin watches (RUNBOOK "Alerts"), through swift-metrics: counts, times and device ids,
/// never personal data. Nothing is recorded until `relais serve --metrics` bootstraps a backend.
enum NodeMetrics {
    /// A session ended, served or initiated: by outcome and, for refusals, by code.
    static func session(ended reason: CloseReason) {
        let (outcome, code): (String, String) =
            switch reason {
            case .completed: ("completed", "")
            case .refusedPeer(let refusal): ("refused_peer", specName(of: refusal.code))
            case .refusedByPeer(let refusal): ("refused_by_peer", specName(of: refusal.code))
            case .protocolViolation: ("protocol_violation", "")
            case .handshakeFailed: ("handshake_failed", "")
            case .connectionLost: ("connection_lost", "")
            }
        Counter(label: "relais_sessions_total", dimensions: [("outcome", outcome), ("code", code)]).increment()
    }

    /// The code as SPEC.md §12 spells it: `VERSION_TOO_OLD` for `versionTooOld`.
    static func specName(of code: Refusal.Code) -> String {
        "\(code)".reduce(into: "") { name, character in
            if character.isUppercase { name += "_" }
            name += character.uppercased()
        }
    }

    /// A batch was applied, in `duration`.
    static func applied(_ outcomes: [ApplyOutcome], in duration: Duration, pending: Int) {
        var counts: [String: Int] = [:]
        for outcome in outcomes {
            let name =
                switch outcome {
                case .applied: "applied"
                case .alreadyApplied: "already_held"
                case .pending: "waiting"
                case .voided: "voided"
                case .equivocation: "equivocation"
                case .refused: "refused"
                }
            counts[name, default: 0] += 1
        }
        for (outcome, count) in counts {
            Counter(label: "relais_changes_total", dimensions: [("outcome", outcome)]).increment(by: count)
        }
        Timer(label: "relais_apply_seconds").recordNanoseconds(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
        Gauge(label: "relais_pending_changes").record(pending)
    }

    /// A session with `device` completed at `time` (seconds since 1970).
    static func lastSync(with device: DeviceID, at time: WallTime) {
        Gauge(label: "relais_peer_last_sync_timestamp_seconds", dimensions: [("device", device.description)]).record(
            Double(time.milliseconds) / 1_000)
    }
}
