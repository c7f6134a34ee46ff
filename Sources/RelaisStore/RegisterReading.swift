import Foundation
import RelaisCore

/// A register's live values, decrypted, in the order every replica agrees on.
struct RegisterReading {
    struct Candidate {
        /// Nil when the write cleared the field.
        let value: FieldValue?
        let entry: RegisterEntry
    }

    var candidates: [Candidate] = []
    var isUnreadable = false

    var view: [ValueCandidate] {
        candidates.map {
            ValueCandidate(
                value: $0.value?.description, device: $0.entry.dot.origin.description, writtenAt: Self.format($0.entry.timestamp))
        }
    }

    static func format(_ timestamp: HLCTimestamp) -> String {
        // The machine's own time zone, with its offset: what a person reads, and still ISO 8601.
        let date = Date(timeIntervalSince1970: Double(timestamp.milliseconds) / 1_000)
        return date.formatted(Date.ISO8601FormatStyle(timeZone: .current))
    }
}
