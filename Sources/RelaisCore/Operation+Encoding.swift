extension Operation {
    private enum Kind: UInt8 {
        case createRecord = 1, setRegister, addElement, removeElements, deleteRecord, erasePerson, personKey, setScope
    }

    /// The operation as it is signed, digested and stored (SPEC.md §2).
    public var encoded: [UInt8] {
        var writer = BinaryWriter()
        writer.write(person.value)
        writer.write(record.value)
        switch body {
        case .createRecord(let sealedType):
            writer.write(Kind.createRecord.rawValue)
            writer.writeLengthPrefixed(sealedType)
        case .setRegister(let field, let supersedes, let sealedValue):
            writer.write(Kind.setRegister.rawValue)
            writer.write(field.rawValue)
            Dot.encode(supersedes, into: &writer)
            writer.write(sealedValue == nil ? 0 as UInt8 : 1)
            if let sealedValue { writer.writeLengthPrefixed(sealedValue) }
        case .addElement(let field, let sealedElement):
            writer.write(Kind.addElement.rawValue)
            writer.write(field.rawValue)
            writer.writeLengthPrefixed(sealedElement)
        case .removeElements(let field, let dots):
            writer.write(Kind.removeElements.rawValue)
            writer.write(field.rawValue)
            Dot.encode(dots, into: &writer)
        case .deleteRecord:
            writer.write(Kind.deleteRecord.rawValue)
        case .erasePerson:
            writer.write(Kind.erasePerson.rawValue)
        case .personKey(let epoch, let wrappedKey):
            writer.write(Kind.personKey.rawValue)
            writer.write(epoch)
            writer.writeLengthPrefixed(wrappedKey)
        case .setScope(let supersedes, let careTeams):
            writer.write(Kind.setScope.rawValue)
            Dot.encode(supersedes, into: &writer)
            CareTeam.encode(careTeams, into: &writer)
        }
        return writer.bytes
    }

    /// Decodes an operation as `encoded` wrote it.
    public init(decoding bytes: [UInt8]) throws(DecodingError) {
        var reader = BinaryReader(bytes)
        let person = RecordID(try reader.readIdentifier())
        let record = RecordID(try reader.readIdentifier())
        guard let kind = Kind(rawValue: try reader.readUInt8()) else { throw .malformed("unknown operation kind") }
        let body = try Self.decodeBody(kind, from: &reader)
        try reader.expectEnd()
        self.init(person: person, record: record, body: body)
    }

    private static func decodeBody(_ kind: Kind, from reader: inout BinaryReader) throws(DecodingError) -> Body {
        let sealedMax = Limits.sealedValueBytesMax
        switch kind {
        case .createRecord:
            return .createRecord(sealedType: try reader.readLengthPrefixed(limit: sealedMax))
        case .setRegister:
            let field = FieldToken(rawValue: try reader.readUInt64())
            let supersedes = try Dot.decodeList(from: &reader)
            let hasValue = try reader.readUInt8()
            guard hasValue <= 1 else { throw .malformed("a register flag is neither 0 nor 1") }
            let value = hasValue == 1 ? try reader.readLengthPrefixed(limit: sealedMax) : nil
            return .setRegister(field: field, supersedes: supersedes, sealedValue: value)
        case .addElement:
            let field = FieldToken(rawValue: try reader.readUInt64())
            return .addElement(field: field, sealedElement: try reader.readLengthPrefixed(limit: sealedMax))
        case .removeElements:
            let field = FieldToken(rawValue: try reader.readUInt64())
            return .removeElements(field: field, dots: try Dot.decodeList(from: &reader))
        case .deleteRecord:
            return .deleteRecord
        case .erasePerson:
            return .erasePerson
        case .personKey:
            let epoch = try reader.readUInt32()
            return .personKey(epoch: epoch, wrappedKey: try reader.readLengthPrefixed(limit: sealedMax))
        case .setScope:
            let supersedes = try Dot.decodeList(from: &reader)
            return .setScope(supersedes: supersedes, careTeams: try CareTeam.decodeSet(from: &reader))
        }
    }
}
