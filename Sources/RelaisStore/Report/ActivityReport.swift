import Foundation

/// The programme's activity over a period of months, computed from what a node holds (every
/// team's records on the hub): the indicators `docs/INDICATORS.md` defines, each with its total,
/// its breakdown by month, team or place where it has one, its breakdown by kind, how many of the
/// records counted hold a value in conflict (the value shown is counted), and the records counted
/// (for `relais report explain`, never exported). A closed month counts as it was closed.
public struct ActivityReport: Encodable, Sendable {
    public enum Grouping: String, Codable, Sendable, CaseIterable { case month, team, place }

    public struct Indicator: Encodable, Sendable {
        public let code: String
        public let value: Double
        /// By month (`2026-03`), team or place, as asked.
        public let groups: [String: Double]
        /// By the indicator's own kind: destination, reason, scheme, source, language...
        public let kinds: [String: Double]
        public let conflicts: Int
        /// How many records the figure is over (closed months included): what suppression of a
        /// mean looks at.
        public let basis: Int
        /// The ids of the records counted in months still open; left out of what is printed or exported.
        public let records: [String]

        enum CodingKeys: String, CodingKey { case code, value, groups, kinds, conflicts }
    }

    public static let codes = [
        "file_active", "new_inclusions", "files_closed", "visits", "accompaniments", "collective_sessions",
        "persons_met_collectively", "interviews_collectively", "persons_per_permanence", "professional_requests",
        "referrals_proposed", "referrals_followed", "rights_opened", "rights_median_days_to_open", "rights_lapsed",
        "interpreter_hours", "gp_at_exit", "empowerment_entry_mean", "empowerment_exit_mean",
    ]

    public let from: String
    public let to: String
    public let grouping: Grouping
    /// The months of the period counted as they were closed, not from the records held now.
    public let closedMonths: [String]
    public let indicators: [Indicator]

    enum CodingKeys: String, CodingKey { case from, to, grouping, closedMonths = "closed_months", indicators }

    /// - Parameters:
    ///   - from, to: the first and last months, `YYYY-MM`, inclusive. A record dated to the year
    ///     only is in no month, and counted nowhere.
    ///   - closed: the figures kept for closed months; those of the period replace what the
    ///     records held now say of them.
    public init(
        persons: [PersonFile], teamRecords: [RecordView], from: String, to: String, grouping: Grouping,
        closed: [String: MonthFigures] = [:]
    ) {
        var tally = MonthTally(from: from, to: to)
        for file in persons { tally.count(file) }
        for record in teamRecords { tally.count(team: record) }
        let kept = closed.filter { $0.key >= from && $0.key <= to }
        var months = tally.months
        var records = tally.records
        for (month, figures) in kept {
            months[month] = figures
            records[month] = nil
        }
        self.init(from: from, to: to, grouping: grouping, months: months, records: records, closedMonths: kept.keys.sorted())
    }

    /// One month's figures, as closing it keeps them.
    public static func figures(persons: [PersonFile], teamRecords: [RecordView], month: String) -> MonthFigures {
        var tally = MonthTally(from: month, to: month)
        for file in persons { tally.count(file) }
        for record in teamRecords { tally.count(team: record) }
        return tally.months[month] ?? .init()
    }

    private init(
        from: String, to: String, grouping: Grouping, months: [String: MonthFigures], records: [String: [String: [String]]],
        closedMonths: [String]
    ) {
        (self.from, self.to, self.grouping, self.closedMonths) = (from, to, grouping, closedMonths)
        let order = months.keys.sorted()
        func ids(_ code: String) -> [String] { order.flatMap { records[$0]?[code] ?? [] } }
        func sum(_ code: String) -> (figure: MonthFigures.Figure, groups: [String: Double]) {
            var total = MonthFigures.Figure()
            var groups: [String: Double] = [:]
            for month in order {
                guard let figure = months[month]?.figures[code] else { continue }
                total.value += figure.value
                total.kinds.merge(figure.kinds, uniquingKeysWith: +)
                total.conflicts += figure.conflicts
                total.records += figure.records
                switch grouping {
                case .month: groups[month, default: 0] += figure.value
                case .team: groups.merge(figure.teams, uniquingKeysWith: +)
                case .place: groups.merge(figure.places, uniquingKeysWith: +)
                }
            }
            return (total, groups)
        }
        indicators = Self.codes.map { code in
            var (figure, groups) = sum(code)
            switch code {
            case "file_active":
                groups = [:]
                for month in order {
                    let active = months[month]?.activeAfter.filter { $0.key < from }.values.reduce(0, +) ?? 0
                    guard active > 0 else { continue }
                    figure.value += Double(active)
                    figure.records += active
                    if grouping == .month { groups[month] = Double(active) }
                }
            case "persons_per_permanence":
                // Persons met at permanences over the permanences held, group by group.
                let (count, counts) = sum("permanence_count")
                figure.value = count.value > 0 ? figure.value / count.value : 0
                groups = groups.reduce(into: [:]) { result, pair in
                    if let held = counts[pair.key], held > 0 { result[pair.key] = pair.value / held }
                }
            case "empowerment_entry_mean", "empowerment_exit_mean":
                figure.value = figure.records > 0 ? figure.value / Double(figure.records) : 0
                groups = [:]
            case "rights_median_days_to_open":
                var waits: [Int: Int] = [:]
                for month in order {
                    for (days, count) in months[month]?.daysToOpen ?? [:] { waits[Int(days) ?? 0, default: 0] += count }
                }
                figure.records = waits.values.reduce(0, +)
                figure.value = Self.median(waits, count: figure.records)
            default: break
            }
            return Indicator(
                code: code, value: figure.value, groups: groups, kinds: figure.kinds, conflicts: figure.conflicts,
                basis: figure.records, records: ids(code))
        }
    }

    public func indicator(_ code: String) -> Indicator? { indicators.first { $0.code == code } }

    /// The median of `count` values given as how many of each.
    private static func median(_ counts: [Int: Int], count: Int) -> Double {
        guard count > 0 else { return 0 }
        func value(at position: Int) -> Double {
            var seen = 0
            for (value, times) in counts.sorted(by: { $0.key < $1.key }) {
                seen += times
                if position < seen { return Double(value) }
            }
            return 0
        }
        return count % 2 == 1 ? value(at: count / 2) : (value(at: count / 2 - 1) + value(at: count / 2)) / 2
    }
}
