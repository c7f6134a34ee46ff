/// The outcome for the change received, and what it released from the pending set.
public struct ApplyReport: Sendable {
    public var outcome: ApplyOutcome
    /// Held changes that became ready and were applied, in the order applied.
    public var released: [Change]
    /// Held changes that became ready but were refused.
    public var refusedFromPending: [ChangeReference]
    public var lastRefusal: ChangeRefusal?

    public init(outcome: ApplyOutcome, released: [Change] = [], refusedFromPending: [ChangeReference] = []) {
        self.outcome = outcome
        self.released = released
        self.refusedFromPending = refusedFromPending
    }
}

/// Names a change without carrying it.
public struct ChangeReference: Hashable, Sendable, CustomStringConvertible {
    public let origin: DeviceID
    public let sequence: UInt64

    public init(_ change: Change) {
        self.origin = change.origin
        self.sequence = change.sequence
    }

    public var description: String { "\(origin)#\(sequence)" }
}
