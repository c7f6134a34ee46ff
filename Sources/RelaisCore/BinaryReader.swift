/// Reads what `BinaryWriter` wrote, refusing truncated or oversized input with `DecodingError`.
public struct BinaryReader: Sendable {
    private let bytes: [UInt8]
    private var offset = 0

    /// A reader at the start of `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Whether every byte was read: a decoder refuses trailing bytes.
    public var isAtEnd: Bool { offset == bytes.count }

    /// Reads one byte.
    public mutating func readUInt8() throws(DecodingError) -> UInt8 {
        try take(1).first!
    }

    /// Reads a big-endian `u16`.
    public mutating func readUInt16() throws(DecodingError) -> UInt16 {
        UInt16(try readInteger(width: 2))
    }

    /// Reads a big-endian `u32`.
    public mutating func readUInt32() throws(DecodingError) -> UInt32 {
        UInt32(try readInteger(width: 4))
    }

    /// Reads a big-endian `u64`.
    public mutating func readUInt64() throws(DecodingError) -> UInt64 {
        try readInteger(width: 8)
    }

    /// A sequence number of a dot, change or version vector: at most `Limits.sequenceMax`.
    public mutating func readSequence() throws(DecodingError) -> UInt64 {
        let sequence = try readUInt64()
        guard sequence <= Limits.sequenceMax else { throw .malformed("sequence number \(sequence) is beyond 2^63 - 1") }
        return sequence
    }

    /// Reads a 16-byte identifier.
    public mutating func readIdentifier() throws(DecodingError) -> Identifier128 {
        Identifier128(high: try readUInt64(), low: try readUInt64())
    }

    /// Reads exactly `count` bytes.
    public mutating func readFixed(_ count: Int) throws(DecodingError) -> [UInt8] {
        Array(try take(count))
    }

    /// - Throws: `DecodingError.tooLong` when the prefix exceeds `limit`.
    public mutating func readLengthPrefixed(limit: Int) throws(DecodingError) -> [UInt8] {
        let count = Int(try readUInt32())
        guard count <= limit else { throw .tooLong(count: count, limit: limit) }
        return Array(try take(count))
    }

    /// Reads a length-prefixed UTF-8 string of at most `limit` bytes; invalid UTF-8 is refused.
    public mutating func readString(limit: Int) throws(DecodingError) -> String {
        let raw = try readLengthPrefixed(limit: limit)
        guard let string = String(validating: raw, as: UTF8.self) else { throw .malformed("text is not UTF-8") }
        return string
    }

    /// A count of items that follow, each at least `itemBytesMin` long, bounded by `limit`.
    public mutating func readCount(limit: Int, itemBytesMin: Int) throws(DecodingError) -> Int {
        let count = Int(try readUInt32())
        guard count <= limit else { throw .tooLong(count: count, limit: limit) }
        guard count * itemBytesMin <= bytes.count - offset else { throw .truncated }
        return count
    }

    /// - Throws: `DecodingError.trailingBytes` when input remains.
    public func expectEnd() throws(DecodingError) {
        guard isAtEnd else { throw .trailingBytes(bytes.count - offset) }
    }

    private mutating func take(_ count: Int) throws(DecodingError) -> ArraySlice<UInt8> {
        guard count >= 0, bytes.count - offset >= count else { throw .truncated }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    private mutating func readInteger(width: Int) throws(DecodingError) -> UInt64 {
        guard bytes.count - offset >= width else { throw .truncated }
        var value: UInt64 = 0
        for index in offset..<offset + width { value = value << 8 | UInt64(bytes[index]) }
        offset += width
        return value
    }
}

/// Why bytes could not be decoded; said so that an operator can tell a bug from an attack.
public enum DecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    case truncated
    case tooLong(count: Int, limit: Int)
    case trailingBytes(Int)
    case malformed(String)

    /// What was wrong with the bytes, in words.
    public var description: String {
        switch self {
        case .truncated: "the data ends too early"
        case .tooLong(let count, let limit): "a length of \(count) exceeds the limit of \(limit)"
        case .trailingBytes(let count): "\(count) unexpected bytes follow the data"
        case .malformed(let reason): "malformed data: \(reason)"
        }
    }
}
