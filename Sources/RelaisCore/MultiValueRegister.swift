/// A multi-value register: every write that no later write has superseded stays.
///
/// A write supersedes exactly the dots its author had seen, so two offline edits of the same
/// field are both kept until a person settles them with a write that supersedes both.
public struct MultiValueRegister: Hashable, Sendable {
    /// Live values, ordered by `(timestamp, origin, dot)` so that the last one is the winner.
    public private(set) var entries: [RegisterEntry]

    /// A register holding `entries`.
    public init(entries: [RegisterEntry] = []) {
        self.entries = entries.sorted(by: RegisterEntry.displayOrder)
    }

    /// Applies a write. Idempotent: applying the same write twice changes nothing.
    public mutating func apply(_ write: RegisterEntry, supersedes: [Dot]) {
        let superseded = Set(supersedes)
        entries.removeAll { superseded.contains($0.dot) }
        guard !entries.contains(where: { $0.dot == write.dot }) else { return }
        entries.append(write)
        entries.sort(by: RegisterEntry.displayOrder)
    }

    /// The value shown when the register is in conflict: latest clock, then highest device id.
    public var winner: RegisterEntry? { entries.last }

    /// The dots of the live entries: what a write that saw them supersedes.
    public var dots: [Dot] { entries.map(\.dot) }
}

/// One live value of a register and what makes it comparable to its competitors.
public struct RegisterEntry: Hashable, Sendable {
    /// The operation that wrote the entry.
    public let dot: Dot
    /// When it was written.
    public let timestamp: HLCTimestamp
    /// Nil when the write cleared the field.
    public let sealedValue: [UInt8]?

    /// An entry written by `dot` at `timestamp`; a nil value is a cleared field.
    public init(dot: Dot, timestamp: HLCTimestamp, sealedValue: [UInt8]?) {
        self.dot = dot
        self.timestamp = timestamp
        self.sealedValue = sealedValue
    }

    /// Clock first, then device id: the deterministic order every replica agrees on.
    public static func displayOrder(_ lhs: RegisterEntry, _ rhs: RegisterEntry) -> Bool {
        (lhs.timestamp, lhs.dot) < (rhs.timestamp, rhs.dot)
    }
}
