/// What happened to a change handed to `ChangeApplier.receive(_:)`.
public enum ApplyOutcome: Hashable, Sendable {
    case applied
    /// Already applied earlier: duplicates are harmless.
    case alreadyApplied
    /// Held back until the changes it depends on arrive.
    case pending
    /// Signed by a device after its revocation: its place in the origin's sequence is taken, so
    /// changes written on top of it are not held forever, but none of its operations is applied.
    case voided
    /// Validly signed, but another change already holds its (origin, sequence): its origin was
    /// rolled back (a restored backup) or is hostile. The first one stays; this one is refused
    /// and kept aside, never applied (SPEC.md §4).
    case equivocation
    case refused(ChangeRefusal)
}

/// Why a correctly signed change cannot be applied; its origin has a bug or is hostile.
public enum ChangeRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownRecord(RecordID)
    case recordOfAnotherPerson(RecordID)
    case recordCreatedTwice(RecordID)
    case personRecordMismatch(RecordID)
    case tooManyPending(limit: Int)

    /// The outcome in words, for logs.
    public var description: String {
        switch self {
        case .unknownRecord(let id): "an operation names record \(id), which was never created"
        case .recordOfAnotherPerson(let id): "an operation attributes record \(id) to the wrong person"
        case .recordCreatedTwice(let id): "record \(id) is created a second time"
        case .personRecordMismatch(let id): "person \(id) must be created as its own record"
        case .tooManyPending(let limit): "more than \(limit) changes are waiting for predecessors"
        }
    }
}
