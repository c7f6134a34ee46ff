/// A 128-bit identifier; RelaisCore takes its bytes from the caller because it draws no randomness.
public struct Identifier128: Hashable, Comparable, Sendable {
    /// The first 8 bytes, big-endian.
    public let high: UInt64
    /// The last 8 bytes, big-endian.
    public let low: UInt64

    /// The identifier of these two halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    // Inlinable: every stored id is read through here, and the unspecialised generic loop cost
    // a tenth of the apply path's time (BENCHMARKS.md).
    /// The identifier of 16 bytes, high half first.
    /// - Precondition: `bytes.count == 16`.
    @inlinable
    public init(bytes: some Collection<UInt8>) {
        precondition(bytes.count == 16, "an identifier has 16 bytes")
        var high: UInt64 = 0
        var low: UInt64 = 0
        var index = 0
        for byte in bytes {
            if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
            index += 1
        }
        self.init(high: high, low: low)
    }

    /// Parses 32 hexadecimal digits; returns nil for anything else.
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 32, let high = UInt64(hex.prefix(16), radix: 16),
            let low = UInt64(hex.suffix(16), radix: 16)
        else { return nil }
        self.init(high: high, low: low)
    }

    /// Its 16 bytes, high half first.
    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
    }

    /// Its 32 lowercase hexadecimal digits.
    public var hex: String {
        Self.hexDigits(high) + Self.hexDigits(low)
    }

    private static func hexDigits(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Orders identifiers as their bytes.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}
