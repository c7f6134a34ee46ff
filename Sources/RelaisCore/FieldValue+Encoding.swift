extension FieldValue {
    private enum Tag: UInt8 { case text = 1, date, enumeration, boolean, integer, reference }

    /// The plaintext that gets sealed; a tag byte keeps values of different kinds apart.
    public var encoded: [UInt8] {
        var writer = BinaryWriter()
        switch self {
        case .text(let text):
            writer.write(Tag.text.rawValue)
            writer.writeFixed(text.utf8)
        case .date(let date):
            writer.write(Tag.date.rawValue)
            writer.write(date.year)
            writer.write(date.month)
            writer.write(date.day)
        case .enumeration(let value):
            writer.write(Tag.enumeration.rawValue)
            writer.writeFixed(value.utf8)
        case .boolean(let flag):
            writer.write(Tag.boolean.rawValue)
            writer.write(flag ? 1 as UInt8 : 0)
        case .integer(let number):
            writer.write(Tag.integer.rawValue)
            writer.write(UInt64(bitPattern: number))
        case .reference(let id):
            writer.write(Tag.reference.rawValue)
            writer.write(id.value)
        }
        return writer.bytes
    }

    /// Decodes a value as `encoded` wrote it (what a sealed register entry holds once opened).
    public init(decoding bytes: [UInt8]) throws(DecodingError) {
        var reader = BinaryReader(bytes)
        guard let tag = Tag(rawValue: try reader.readUInt8()) else { throw .malformed("unknown value tag") }
        switch tag {
        case .text, .enumeration:
            let raw = try reader.readFixed(bytes.count - 1)
            guard let text = String(validating: raw, as: UTF8.self) else { throw .malformed("text is not UTF-8") }
            self = tag == .text ? .text(text) : .enumeration(text)
        case .date:
            self = .date(PartialDate(year: try reader.readUInt16(), month: try reader.readUInt8(), day: try reader.readUInt8()))
        case .boolean:
            self = .boolean(try reader.readUInt8() != 0)
        case .integer:
            self = .integer(Int64(bitPattern: try reader.readUInt64()))
        case .reference:
            self = .reference(RecordID(try reader.readIdentifier()))
        }
        try reader.expectEnd()
    }
}
