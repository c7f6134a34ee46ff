/// What every replica knows of a record apart from its fields.
public struct RecordState: Hashable, Sendable {
    public let id: RecordID
    /// The person whose file the record belongs to; itself for a person record.
    public let person: RecordID
    public let sealedType: [UInt8]
    /// The operation that created the record, which later writes depend on.
    public let creation: Dot
    public var isDeleted: Bool

    public init(id: RecordID, person: RecordID, sealedType: [UInt8], creation: Dot, isDeleted: Bool = false) {
        self.id = id
        self.person = person
        self.sealedType = sealedType
        self.creation = creation
        self.isDeleted = isDeleted
    }

    public var isPerson: Bool { id == person }
}
