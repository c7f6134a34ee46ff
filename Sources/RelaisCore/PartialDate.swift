/// A date known to the day, the month or only the year: birth dates of people without papers
/// are often approximate.
public struct PartialDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year, 1850 to 2200.
    public let year: UInt16
    /// 0 when only the year is known.
    public let month: UInt8
    /// 0 when the day is unknown.
    public let day: UInt8
    /// The years a date may fall in: wide enough for the oldest person and the furthest appointment.
    public static let years: ClosedRange<UInt16> = 1_850...2_200

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; nil for anything else or an impossible date.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4,
            parts.dropFirst().allSatisfy({ $0.count == 2 }),
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = UInt16(parts[0]), Self.years.contains(year)
        else { return nil }
        let month = parts.count > 1 ? UInt8(parts[1]) ?? 0 : 0
        let day = parts.count > 2 ? UInt8(parts[2]) ?? 0 : 0
        self.init(year: year, month: month, day: day)
        if parts.count > 1, !(1...12).contains(month) { return nil }
        if parts.count > 2, !(1...Self.daysIn(month: month, year: year)).contains(day) { return nil }
    }

    /// A date of `year`, `month` (0: unknown) and `day` (0: unknown).
    public init(year: UInt16, month: UInt8, day: UInt8) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as much as is known.
    public var description: String {
        var text = String(year)
        if month > 0 { text += "-" + Self.twoDigits(month) }
        if day > 0 { text += "-" + Self.twoDigits(day) }
        return text
    }

    /// Orders dates as their known parts, an unknown part first.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    private static func twoDigits(_ value: UInt8) -> String { value < 10 ? "0\(value)" : "\(value)" }

    private static func daysIn(month: UInt8, year: UInt16) -> UInt8 {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
