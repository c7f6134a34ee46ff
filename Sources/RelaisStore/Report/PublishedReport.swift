import Foundation

/// What of an activity report may leave the node: small counts hidden. A count from 1 to 4 shows
/// as "< 5" (primary suppression); when one cell of a breakdown is hidden, the next smallest is
/// hidden too, so that the total minus the others does not give it back (secondary suppression);
/// a hidden total hides its whole breakdown. A mean, a ratio or a median over fewer than 5
/// records is hidden, and its breakdown left out. Zero is shown: it tells of no one.
public struct PublishedReport: Codable, Sendable {
    /// A figure as published: a number, or hidden.
    public enum Cell: Codable, Sendable, Equatable, CustomStringConvertible {
        case number(Double)
        case hidden

        public static let hiddenText = "< 5"

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else if try container.decode(String.self) == Self.hiddenText {
                self = .hidden
            } else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "a figure is a number or \"< 5\"")
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .number(let value): try container.encode(value)
            case .hidden: try container.encode(Self.hiddenText)
            }
        }

        public var description: String {
            switch self {
            case .number(let value): value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
            case .hidden: Self.hiddenText
            }
        }

        public var number: Double? { if case .number(let value) = self { value } else { nil } }
    }

    public struct Indicator: Codable, Sendable {
        public let code: String
        public let value: Cell
        public let groups: [String: Cell]
        public let kinds: [String: Cell]
        /// Records counted that held a value in conflict (shown only when 5 or more).
        public let conflicts: Cell
        /// In a merged report: how many hidden figures (each 1 to 4) the sum leaves out; nil
        /// for one node's report.
        public var hiddenParts: Int?
        /// In a merged report: the same for each cell of `groups` and of `kinds` that leaves some out.
        public var hiddenInGroups: [String: Int]?
        public var hiddenInKinds: [String: Int]?

        enum CodingKeys: String, CodingKey {
            case code, value, groups, kinds, conflicts
            case hiddenParts = "hidden_parts"
            case hiddenInGroups = "hidden_in_groups"
            case hiddenInKinds = "hidden_in_kinds"
        }
    }

    public static let threshold = 5.0

    /// Indicators that are means, ratios, medians or sums of durations: not counts of records.
    static let measures: Set<String> = [
        "persons_per_permanence", "empowerment_entry_mean", "empowerment_exit_mean", "rights_median_days_to_open",
        "interpreter_hours", "persons_met_collectively", "interviews_collectively",
    ]

    public let from: String
    public let to: String
    public let grouping: ActivityReport.Grouping
    /// The months counted as they were closed (absent from reports made before months could close).
    public let closedMonths: [String]?
    public let indicators: [Indicator]

    enum CodingKeys: String, CodingKey { case from, to, grouping, closedMonths = "closed_months", indicators }

    public init(
        from: String, to: String, grouping: ActivityReport.Grouping, closedMonths: [String]? = nil, indicators: [Indicator]
    ) {
        (self.from, self.to, self.grouping, self.closedMonths, self.indicators) = (from, to, grouping, closedMonths, indicators)
    }

    /// - Parameter suppressing: false only for figures that stay on the node (`--no-suppression`).
    public init(_ report: ActivityReport, suppressing: Bool = true) {
        let threshold = suppressing ? Self.threshold : 0
        func cell(_ count: Double) -> Cell { Self.cell(count, threshold: threshold) }
        self.init(
            from: report.from, to: report.to, grouping: report.grouping, closedMonths: report.closedMonths,
            indicators: report.indicators.map { indicator in
                let conflicts = cell(Double(indicator.conflicts))
                guard Self.measures.contains(indicator.code) else {
                    let total = cell(indicator.value)
                    return Indicator(
                        code: indicator.code, value: total,
                        groups: Self.breakdown(indicator.groups, total: total, threshold: threshold),
                        kinds: Self.breakdown(indicator.kinds, total: total, threshold: threshold), conflicts: conflicts)
                }
                // Persons met and interviews are sums over sessions: hidden with fewer than 5 sessions.
                let enough = Double(indicator.basis) >= threshold || indicator.basis == 0
                guard suppressing else {
                    return Indicator(
                        code: indicator.code, value: .number(indicator.value), groups: indicator.groups.mapValues(Cell.number),
                        kinds: indicator.kinds.mapValues(Cell.number), conflicts: conflicts)
                }
                return Indicator(
                    code: indicator.code, value: enough ? .number(indicator.value) : .hidden, groups: [:], kinds: [:],
                    conflicts: conflicts)
            })
    }

    static func cell(_ count: Double, threshold: Double) -> Cell { count > 0 && count < threshold ? .hidden : .number(count) }

    /// A breakdown with its small cells hidden, and one more whenever a single one is.
    static func breakdown(_ counts: [String: Double], total: Cell, threshold: Double) -> [String: Cell] {
        guard case .number = total else { return counts.mapValues { $0 == 0 ? .number(0) : .hidden } }
        var cells = counts.mapValues { cell($0, threshold: threshold) }
        if cells.values.filter({ $0 == .hidden }).count == 1,
            let next = counts.filter({ cells[$0.key] != .hidden && $0.value > 0 }).min(by: {
                ($0.value, $0.key) < ($1.value, $1.key)
            })
        {
            cells[next.key] = .hidden
        }
        return cells
    }
}

extension PublishedReport {
    /// Several programmes' published reports as one regional report: counts and sums add up, a
    /// hidden figure is left out of the sum and counted in `hiddenParts` (in `hiddenInGroups` and
    /// `hiddenInKinds` for a cell of a breakdown); means, ratios and medians cannot be added and are
    /// left out. A figure stays hidden only when it is one hub's hidden figure: two hidden parts
    /// may add up to 8, so their sum shows as 0 plus two hidden figures. No personal data is
    /// involved: only what each hub published.
    /// - Throws: `ReportMergeError` when the reports are broken down differently.
    public static func merge(_ reports: [PublishedReport]) throws(ReportMergeError) -> PublishedReport {
        guard let first = reports.first else { throw .nothing }
        guard reports.allSatisfy({ $0.grouping == first.grouping }) else { throw .groupings }
        let additive: Set<String> = ["persons_met_collectively", "interviews_collectively", "interpreter_hours"]
        var merged: [String: MergedIndicator] = [:]
        var order: [String] = []
        for report in reports {
            for indicator in report.indicators where !measures.contains(indicator.code) || additive.contains(indicator.code) {
                if merged[indicator.code] == nil { order.append(indicator.code) }
                merged[indicator.code, default: MergedIndicator()].add(indicator)
            }
        }
        return PublishedReport(
            from: reports.map(\.from).min() ?? first.from, to: reports.map(\.to).max() ?? first.to, grouping: first.grouping,
            closedMonths: Array(Set(reports.flatMap { $0.closedMonths ?? [] })).sorted(),
            indicators: order.compactMap { code in merged[code].map { $0.indicator(code) } })
    }
}

/// One indicator summed over several reports: per figure, the known parts' sum and how many
/// parts were hidden.
private struct MergedIndicator {
    private struct Sum {
        var known = 0.0
        var hidden = 0
        var parts = 0

        mutating func add(_ cell: PublishedReport.Cell) {
            parts += 1
            if let number = cell.number { known += number } else { hidden += 1 }
        }

        /// A single hidden part shows as such: "< 5" says all there is to say.
        var cell: PublishedReport.Cell { parts == 1 && hidden == 1 ? .hidden : .number(known) }
        var leftOut: Int? { cell == .hidden || hidden == 0 ? nil : hidden }
    }

    private var value = Sum()
    private var conflicts = Sum()
    private var groups: [String: Sum] = [:]
    private var kinds: [String: Sum] = [:]

    mutating func add(_ indicator: PublishedReport.Indicator) {
        value.add(indicator.value)
        conflicts.add(indicator.conflicts)
        for (key, cell) in indicator.groups { groups[key, default: Sum()].add(cell) }
        for (key, cell) in indicator.kinds { kinds[key, default: Sum()].add(cell) }
    }

    func indicator(_ code: String) -> PublishedReport.Indicator {
        var indicator = PublishedReport.Indicator(
            code: code, value: value.cell, groups: groups.mapValues(\.cell), kinds: kinds.mapValues(\.cell),
            conflicts: conflicts.cell)
        indicator.hiddenParts = value.leftOut ?? 0
        indicator.hiddenInGroups = groups.compactMapValues(\.leftOut)
        indicator.hiddenInKinds = kinds.compactMapValues(\.leftOut)
        return indicator
    }
}

/// Why reports cannot be merged.
public enum ReportMergeError: Error, CustomStringConvertible {
    case nothing, groupings

    public var description: String {
        switch self {
        case .nothing: "no report to merge"
        case .groupings: "the reports are broken down differently (--by): make them with the same --by"
        }
    }
}
