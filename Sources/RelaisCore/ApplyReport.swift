/// The outcome for the change received, and what it released from the pending set.
public struct ApplyReport: Sendable {
    /// What became of the change handed in.
    public var outcome: ApplyOutcome
    /// Held changes that became ready and were applied, in the order applied.
    public var released: [Change]

    /// A report of `outcome`, with the held changes it `released` and applied.
    public init(outcome: ApplyOutcome, released: [Change] = []) {
        self.outcome = outcome
        self.released = released
    }
}
