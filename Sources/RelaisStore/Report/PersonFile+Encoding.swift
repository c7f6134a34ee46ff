import RelaisCore

/// A file in bytes, as `FileProjections` seals it. Only this device reads them back, from its
/// own sealed rows: the limits stop a damaged row from asking for gigabytes, nothing more.
extension PersonFile {
    var encoded: [UInt8] {
        var writer = BinaryWriter()
        writer.writeString(id)
        writer.writeStrings(mergedFrom)
        writer.writeStrings(careTeams)
        writer.write(incomplete)
        writer.write(fields)
        writer.write(UInt32(linked.count))
        for record in linked {
            writer.writeString(record.id)
            writer.writeString(record.type)
            writer.writeString(record.person)
            writer.write(record.fields)
            writer.write(record.damaged)
            writer.write(record.newer)
        }
        writer.write(newer)
        return writer.bytes
    }

    init(decoding bytes: [UInt8]) throws(DecodingError) {
        var reader = BinaryReader(bytes)
        let id = try reader.readText()
        let mergedFrom = try reader.readTexts()
        let careTeams = try reader.readTexts()
        let incomplete = try reader.readBool()
        let fields = try reader.readFields()
        var linked: [RecordView] = []
        for _ in 0..<(try reader.readCount(limit: BinaryReader.itemsMax, itemBytesMin: 18)) {
            linked.append(
                RecordView(
                    id: try reader.readText(), type: try reader.readText(), person: try reader.readText(),
                    fields: try reader.readFields(), damaged: try reader.readBool(), newer: try reader.readBool()))
        }
        self.init(
            id: id, mergedFrom: mergedFrom, careTeams: careTeams, incomplete: incomplete, fields: fields, linked: linked,
            newer: try reader.readBool())
        try reader.expectEnd()
    }
}

extension BinaryWriter {
    fileprivate mutating func write(_ flag: Bool) { write(flag ? 1 as UInt8 : 0) }

    fileprivate mutating func writeStrings(_ strings: [String]) {
        write(UInt32(strings.count))
        for string in strings { writeString(string) }
    }

    fileprivate mutating func write(_ fields: [FieldView]) {
        write(UInt32(fields.count))
        for field in fields {
            writeString(field.name)
            writeString(field.sensitivity)
            writeStrings(field.values)
            write(field.inConflict)
            write(UInt32(field.candidates.count))
            for candidate in field.candidates {
                write(candidate.value != nil)
                writeString(candidate.value ?? "")
                writeString(candidate.device)
                writeString(candidate.writtenAt)
            }
            write(field.unreadable)
        }
    }
}

extension BinaryReader {
    fileprivate static let textBytesMax = 1 << 20
    fileprivate static let itemsMax = 1 << 20

    fileprivate mutating func readBool() throws(DecodingError) -> Bool {
        switch try readUInt8() {
        case 0: false
        case 1: true
        case let byte: throw .malformed("a flag of \(byte)")
        }
    }

    fileprivate mutating func readText() throws(DecodingError) -> String { try readString(limit: Self.textBytesMax) }

    fileprivate mutating func readTexts() throws(DecodingError) -> [String] {
        var strings: [String] = []
        for _ in 0..<(try readCount(limit: Self.itemsMax, itemBytesMin: 4)) { strings.append(try readText()) }
        return strings
    }

    fileprivate mutating func readFields() throws(DecodingError) -> [FieldView] {
        var fields: [FieldView] = []
        for _ in 0..<(try readCount(limit: Self.itemsMax, itemBytesMin: 18)) {
            let name = try readText()
            let sensitivity = try readText()
            let values = try readTexts()
            let inConflict = try readBool()
            var candidates: [ValueCandidate] = []
            for _ in 0..<(try readCount(limit: Self.itemsMax, itemBytesMin: 13)) {
                let hasValue = try readBool()
                let value = try readText()
                candidates.append(
                    ValueCandidate(value: hasValue ? value : nil, device: try readText(), writtenAt: try readText()))
            }
            fields.append(
                FieldView(
                    name: name, sensitivity: sensitivity, values: values, inConflict: inConflict, candidates: candidates,
                    unreadable: try readBool()))
        }
        return fields
    }
}
