// What `relais check` and `relais repair` report, in words a mediator or an admin can act on.

/// One thing found damaged in a replica.
public struct Damage: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// SQLite's own structure: pages, indexes.
        case file
        /// A stored change whose body no longer matches its origin's signature.
        case change
        /// A change held until its predecessors arrive.
        case heldChange = "held_change"
        /// A person's key, a record's type or a value that no longer decrypts.
        case sealedValue = "sealed_value"
        /// A person's file differs from what its changes say.
        case derivedState = "derived_state"
        /// The change index, search index or merge links differ from what they are built from.
        case index
        /// The roster or a device's signing key.
        case team
    }

    public let kind: Kind
    public let what: String
    /// `relais repair` can mend it from what the replica holds, or fetch it from a peer.
    public let repairable: Bool
}

/// `relais check`: what was verified and what was found damaged.
public struct CheckReport: Codable, Hashable, Sendable {
    public let changes: Int
    public let persons: Int
    public let values: Int
    public let damages: [Damage]

    public var isSound: Bool { damages.isEmpty }
}

/// `relais repair`: what was mended here, and what awaits a peer's copy.
public struct RepairReport: Codable, Hashable, Sendable {
    /// Persons whose files were rebuilt from their changes.
    public let personsRebuilt: Int
    /// Damaged changes set aside: their persons await a peer's copy (`relais sync`).
    public let changesToFetch: Int
    /// Changes only this device held, damaged: their content is lost.
    public let changesLost: Int
    /// Damaged held changes dropped: peers send them again.
    public let heldChangesDropped: Int
    /// What the check finds once the repair is done.
    public let after: CheckReport
}
