/// The outcome for the change received, and what it released from the pending set.
public struct ApplyReport: Sendable {
    public var outcome: ApplyOutcome
    /// Held changes that became ready and were applied, in the order applied.
    public var released: [Change]

    public init(outcome: ApplyOutcome, released: [Change] = []) {
        self.outcome = outcome
        self.released = released
    }
}
