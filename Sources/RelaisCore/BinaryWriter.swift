/// Appends big-endian integers and length-prefixed byte strings: the canonical encoding that
/// changes are signed over, so it must never depend on dictionary order or platform width.
public struct BinaryWriter: Sendable {
    /// What was written so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty writer.
    public init() {}

    /// Writes one byte.
    public mutating func write(_ value: UInt8) { bytes.append(value) }

    /// Writes a big-endian `u16`.
    public mutating func write(_ value: UInt16) { writeInteger(UInt64(value), width: 2) }

    /// Writes a big-endian `u32`.
    public mutating func write(_ value: UInt32) { writeInteger(UInt64(value), width: 4) }

    /// Writes a big-endian `u64`.
    public mutating func write(_ value: UInt64) { writeInteger(value, width: 8) }

    /// Writes a 16-byte identifier, high half first.
    public mutating func write(_ identifier: Identifier128) {
        write(identifier.high)
        write(identifier.low)
    }

    /// Raw bytes whose length the reader knows in advance.
    public mutating func writeFixed(_ raw: some Sequence<UInt8>) { bytes.append(contentsOf: raw) }

    /// - Precondition: `raw.count` fits in 32 bits.
    public mutating func writeLengthPrefixed(_ raw: [UInt8]) {
        precondition(raw.count <= Int(UInt32.max), "a byte string longer than 4 GiB")
        write(UInt32(raw.count))
        bytes.append(contentsOf: raw)
    }

    /// Writes a string as its length-prefixed UTF-8 bytes.
    public mutating func writeString(_ string: String) { writeLengthPrefixed(Array(string.utf8)) }

    /// Big-endian, the low `width` bytes. A plain loop: a stride iterator dominated roster encoding.
    private mutating func writeInteger(_ value: UInt64, width: Int) {
        var shift = (width - 1) * 8
        while shift >= 0 {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
            shift -= 8
        }
    }
}
