import GRDB
import RelaisCore

/// What one write did to the persons of the replica: the changes it applied, the files it
/// rebuilt from changes already stored, and whether a scope moved. The services that derive
/// state from persons' changes (`ChangeFollower`) learn of every write through it.
struct AppliedChanges {
    /// Changes applied, in the order applied (a change released by another comes after it).
    let changes: [Change]
    /// Persons whose files were rebuilt from stored changes (a fill, a closure, a repair).
    let rebuilt: Set<RecordID>
    /// This device's care teams changed (a roster adopted): any person may have left the replica.
    let scopeMoved: Bool
    /// The operations applied on persons themselves (not on their linked records), oldest first;
    /// taken once here because every follower walks them.
    let personOperations: [RelaisCore.Operation]

    init(changes: [Change] = [], rebuilt: Set<RecordID> = [], scopeMoved: Bool = false) {
        self.changes = changes
        self.rebuilt = rebuilt
        self.scopeMoved = scopeMoved
        personOperations = changes.flatMap { change in
            change.slots.compactMap { slot in
                guard case .operation(let operation) = slot, operation.record == operation.person else { return nil }
                return operation
            }
        }
    }
}

/// A service keeping state derived from persons' changes: it follows every write that applied
/// some, inside that write's transaction, so its state is never out of step with the records.
protocol ChangeFollower {
    func follow(_ applied: AppliedChanges, _ db: Database) throws
}
