/// What every replica knows of a record apart from its fields.
public struct RecordState: Hashable, Sendable {
    /// The record.
    public let id: RecordID
    /// The person whose file the record belongs to; itself for a person record.
    public let person: RecordID
    /// Its record type, sealed under the person's key like its fields.
    public let sealedType: [UInt8]
    /// The operation that created the record, which later writes depend on.
    public let creation: Dot
    /// Whether a delete operation removed it.
    public var isDeleted: Bool

    /// The state of a record created by `creation`.
    public init(id: RecordID, person: RecordID, sealedType: [UInt8], creation: Dot, isDeleted: Bool = false) {
        self.id = id
        self.person = person
        self.sealedType = sealedType
        self.creation = creation
        self.isDeleted = isDeleted
    }

    /// Whether the record is a person rather than a record linked to one.
    public var isPerson: Bool { id == person }
}
