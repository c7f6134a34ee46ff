/// One signed local transaction: the unit that replicas exchange and apply atomically.
///
/// The origin signs a digest of each operation rather than the operations themselves, so that a
/// replica can later replace the operations of an erased person by their digests and still
/// relay a change that verifies against the origin's key.
public struct Change: Hashable, Sendable {
    /// Who wrote the change, its number, its time and what it depends on.
    public let header: ChangeHeader
    /// The operations, each present or redacted to its digest.
    public let slots: [OperationSlot]
    /// The origin's Ed25519 signature over `signingBytes`.
    public let signature: [UInt8]

    /// - Precondition: `signature` has `Limits.signatureBytes` bytes and `slots` is not empty.
    public init(header: ChangeHeader, slots: [OperationSlot], signature: [UInt8]) {
        precondition(signature.count == Limits.signatureBytes, "an Ed25519 signature has 64 bytes")
        precondition(!slots.isEmpty, "a change carries at least one operation")
        precondition(slots.count <= Limits.changeOperationsMax, "too many operations for one change")
        self.header = header
        self.slots = slots
        self.signature = signature
    }

    /// The device that wrote the change.
    public var origin: DeviceID { header.origin }
    /// The change's number among its origin's, from 1 with no gap.
    public var sequence: UInt64 { header.sequence }
    /// When the change was written, on its origin's hybrid logical clock.
    public var timestamp: HLCTimestamp { header.timestamp }

    /// The persons whose operations this change carries only as digests.
    public var redactedPersons: Set<RecordID> {
        Set(slots.compactMap { if case .redacted(let person, _) = $0 { person } else { nil } })
    }

    /// The same change with every operation of `persons` replaced by its digest, except erasures
    /// and scopes: they hold nothing personal, and every node needs them to accept the rest and
    /// to know which persons it may hold (SPEC.md §14).
    public func redacting(_ persons: Set<RecordID>, digest: OperationDigest) -> Change {
        let slots = slots.map { slot in
            guard case .operation(let operation) = slot, persons.contains(operation.person) else { return slot }
            switch operation.body {
            case .erasePerson, .setScope: return slot
            default: return OperationSlot.redacted(person: operation.person, digest: digest(operation.encoded))
            }
        }
        return Change(header: header, slots: slots, signature: signature)
    }
}

extension Change {
    /// This change with its redacted slots of `persons` replaced by the operations `other` carries
    /// there, where they hash to the digests this change was signed over: a fill needs no other
    /// proof. Nil when `other` is another change or fills nothing.
    public func filling(from other: Change, persons: Set<RecordID>, digest: OperationDigest) -> Change? {
        guard other.header == header, other.slots.count == slots.count else { return nil }
        var filled = false
        let merged = zip(slots, other.slots).map { mine, theirs -> OperationSlot in
            guard case .redacted(let person, let expected) = mine, persons.contains(person),
                case .operation(let operation) = theirs, operation.person == person, digest(operation.encoded) == expected
            else { return mine }
            filled = true
            return theirs
        }
        return filled ? Change(header: header, slots: merged, signature: signature) : nil
    }
}

/// Hashes an encoded operation; injected because RelaisCore holds no cryptography.
public typealias OperationDigest = @Sendable ([UInt8]) -> [UInt8]

/// Who wrote a change, where it stands in its origin's history, and what it causally follows.
public struct ChangeHeader: Hashable, Sendable {
    /// The device that wrote the change.
    public let origin: DeviceID
    /// Dense per origin, from 1: a gap means a change is missing.
    public let sequence: UInt64
    /// When the change was written, on its origin's hybrid logical clock.
    public let timestamp: HLCTimestamp
    /// The changes whose operations this one supersedes, removes or builds on.
    public let dependencies: VersionVector

    /// A header for the change numbered `sequence` of `origin`.
    public init(origin: DeviceID, sequence: UInt64, timestamp: HLCTimestamp, dependencies: VersionVector) {
        precondition(sequence > 0, "sequence numbers start at 1")
        self.origin = origin
        self.sequence = sequence
        self.timestamp = timestamp
        self.dependencies = dependencies
    }
}

/// An operation as carried, or only its digest once its person has been erased.
public enum OperationSlot: Hashable, Sendable {
    case operation(Operation)
    case redacted(person: RecordID, digest: [UInt8])

    /// The person whose file the operation writes to, present or redacted.
    public var person: RecordID {
        switch self {
        case .operation(let operation): operation.person
        case .redacted(let person, _): person
        }
    }

    /// Whether the slot carries, in full, an operation of `person` that redaction would hide.
    public func carriesOperation(of person: RecordID) -> Bool {
        guard case .operation(let operation) = self, operation.person == person else { return false }
        switch operation.body {
        case .erasePerson, .setScope: return false
        default: return true
        }
    }
}
