import Foundation

/// The programme's activity over a period of months, computed from what a node holds (every
/// team's records on the hub): the indicators `docs/INDICATORS.md` defines, each with its total,
/// its breakdown by month, team or place where it has one, its breakdown by kind, how many of the
/// records counted hold a value in conflict (the value shown is counted), and the records counted
/// (for `relais report explain`, never exported).
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
        /// The ids of the records counted; left out of what is printed or exported.
        public let records: [String]

        enum CodingKeys: String, CodingKey { case code, value, groups, kinds, conflicts }
    }

    public let from: String
    public let to: String
    public let grouping: Grouping
    public let indicators: [Indicator]

    enum CodingKeys: String, CodingKey { case from, to, grouping, indicators }

    /// - Parameters:
    ///   - from, to: the first and last months, `YYYY-MM`, inclusive. A record dated to the year
    ///     only is in no month, and counted nowhere.
    public init(persons: [PersonFile], teamRecords: [RecordView], from: String, to: String, grouping: Grouping) {
        self.from = from
        self.to = to
        self.grouping = grouping
        var tally = Tally(from: from, to: to, grouping: grouping)
        for file in persons { tally.count(file) }
        for record in teamRecords { tally.count(team: record) }
        indicators = tally.indicators
    }

    public func indicator(_ code: String) -> Indicator? { indicators.first { $0.code == code } }
}

/// One pass over the files, adding each record to the indicators it counts in.
private struct Tally {
    let from: String
    let to: String
    let grouping: ActivityReport.Grouping
    private var sums:
        [String: (value: Double, groups: [String: Double], kinds: [String: Double], conflicts: Int, records: [String])] =
            [:]
    private var daysToOpen: [Double] = []
    private var daysToOpenRecords: [String] = []

    static let codes = [
        "file_active", "new_inclusions", "files_closed", "visits", "accompaniments", "collective_sessions",
        "persons_met_collectively", "interviews_collectively", "persons_per_permanence", "professional_requests",
        "referrals_proposed", "referrals_followed", "rights_opened", "rights_median_days_to_open", "rights_lapsed",
        "interpreter_hours", "gp_at_exit", "empowerment_entry_mean", "empowerment_exit_mean",
    ]

    /// The indicators counted from visits and collective sessions, which name a team and a place.
    static let located: Set<String> = [
        "visits", "accompaniments", "interpreter_hours", "collective_sessions", "persons_met_collectively",
        "interviews_collectively", "persons_per_permanence", "permanence_count",
    ]

    init(from: String, to: String, grouping: ActivityReport.Grouping) {
        (self.from, self.to, self.grouping) = (from, to, grouping)
    }

    /// The month of a stored date, when it is in the period.
    private func month(_ date: String?) -> String? {
        guard let date, date.count >= 7 else { return nil }
        let month = String(date.prefix(7))
        return month >= from && month <= to ? month : nil
    }

    private mutating func add(
        _ code: String, _ amount: Double = 1, month: String, team: String? = nil, place: String? = nil, kind: String? = nil,
        record: String, conflict: Bool
    ) {
        var sum = sums[code] ?? (0, [:], [:], 0, [])
        sum.value += amount
        // Only visits and collective sessions name a team and a place; the others have a total only.
        let located = Self.located.contains(code)
        let group: String? =
            switch grouping {
            case .month: month
            case .team: located ? team ?? "(sans équipe)" : nil
            case .place: located ? place ?? "(lieu non renseigné)" : nil
            }
        if let group { sum.groups[group, default: 0] += amount }
        if let kind { sum.kinds[kind, default: 0] += amount }
        if conflict { sum.conflicts += 1 }
        sum.records.append(record)
        sums[code] = sum
    }

    mutating func count(_ file: PersonFile) {
        var active = false
        var exits: [(month: String, record: RecordView)] = []
        for record in file.linked {
            let value = Self.values(record)
            let conflict = record.fields.contains(where: \.inConflict)
            switch record.type {
            case "visit":
                guard let month = month(value["date"]) else { continue }
                active = true
                let (team, place) = (value["care_team"], value["place_kind"])
                add("visits", month: month, team: team, place: place, kind: value["kind"], record: record.id, conflict: conflict)
                if value["kind"] == "accompaniment" {
                    add("accompaniments", month: month, team: team, place: place, record: record.id, conflict: conflict)
                }
                if let minutes = value["interpreter_minutes"].flatMap(Double.init), minutes > 0 {
                    let language = value["interpreter_used"] ?? "?"
                    add(
                        "interpreter_hours", minutes / 60, month: month, team: team, place: place,
                        kind: "\(language) / \(value["interpreter_mode"] ?? "?")", record: record.id, conflict: conflict)
                }
            case "referral":
                guard let month = month(value["date"]) else { continue }
                add("referrals_proposed", month: month, kind: value["to"], record: record.id, conflict: conflict)
                if value["status"] == "followed" {
                    add("referrals_followed", month: month, kind: value["to"], record: record.id, conflict: conflict)
                }
            case "rights_episode":
                if let month = month(value["opened"]) {
                    add("rights_opened", month: month, kind: value["scheme"], record: record.id, conflict: conflict)
                    if let filed = value["filed"], let days = Self.days(from: filed, to: value["opened"]) {
                        daysToOpen.append(days)
                        daysToOpenRecords.append(record.id)
                    }
                }
                if value["state"] == "lapsed", let month = month(value["ended"] ?? value["expires"]) {
                    add("rights_lapsed", month: month, kind: value["scheme"], record: record.id, conflict: conflict)
                }
            case "programme_episode":
                if let month = month(value["inclusion_date"]) {
                    add("new_inclusions", month: month, record: record.id, conflict: conflict)
                }
                if let month = month(value["exit_date"]) {
                    add("files_closed", month: month, kind: value["exit_reason"], record: record.id, conflict: conflict)
                    exits.append((month, record))
                }
            default: break
            }
        }
        if active {
            let first = file.linked.compactMap { $0.type == "visit" ? month(Self.values($0)["date"]) : nil }.min() ?? from
            add("file_active", month: first, record: file.id, conflict: false)
        }
        let hasGP = file.fields.first { $0.name == "has_gp" }
        for (month, record) in exits {
            let value = Self.values(record)
            if hasGP?.values.first == "yes" {
                add("gp_at_exit", month: month, record: file.id, conflict: hasGP?.inConflict == true)
            }
            if let entry = value["empowerment_entry"].flatMap(Double.init),
                let exit = value["empowerment_exit"].flatMap(Double.init)
            {
                add("empowerment_entry_mean", entry, month: month, record: record.id, conflict: false)
                add("empowerment_exit_mean", exit, month: month, record: record.id, conflict: false)
            }
        }
    }

    mutating func count(team record: RecordView) {
        let value = Self.values(record)
        let conflict = record.fields.contains(where: \.inConflict)
        guard let month = month(value["date"]) else { return }
        let (team, place) = (value["care_team"], value["place_kind"])
        switch record.type {
        case "collective_session":
            add(
                "collective_sessions", month: month, team: team, place: place, kind: value["kind"], record: record.id,
                conflict: conflict)
            let met = value["persons_met"].flatMap(Double.init) ?? 0
            add("persons_met_collectively", met, month: month, team: team, place: place, record: record.id, conflict: conflict)
            add(
                "interviews_collectively", value["interviews"].flatMap(Double.init) ?? 0, month: month, team: team, place: place,
                record: record.id, conflict: conflict)
            if value["kind"] == "permanence" {
                add("permanence_count", month: month, team: team, place: place, record: record.id, conflict: conflict)
                add("persons_per_permanence", met, month: month, team: team, place: place, record: record.id, conflict: conflict)
            }
        case "professional_request":
            add("professional_requests", month: month, kind: value["source"], record: record.id, conflict: conflict)
        default: break
        }
    }

    var indicators: [ActivityReport.Indicator] {
        var sums = self.sums
        // Ratios and means: the sums divided by what they are over, group by group.
        let permanences = sums.removeValue(forKey: "permanence_count")
        func divide(_ code: String, by counts: (value: Double, groups: [String: Double])?) {
            guard var sum = sums[code], let counts, counts.value > 0 else { return }
            sum.value /= counts.value
            sum.groups = sum.groups.mapValues { $0 }.reduce(into: [:]) { result, pair in
                if let count = counts.groups[pair.key], count > 0 { result[pair.key] = pair.value / count }
            }
            sums[code] = sum
        }
        divide("persons_per_permanence", by: permanences.map { ($0.value, $0.groups) })
        let exits = sums["empowerment_entry_mean"].map { (Double($0.records.count), [String: Double]()) }
        if let exits, exits.0 > 0 {
            for code in ["empowerment_entry_mean", "empowerment_exit_mean"] {
                guard var sum = sums[code] else { continue }
                sum.value /= exits.0
                sum.groups = [:]
                sums[code] = sum
            }
        }
        if !daysToOpen.isEmpty {
            let sorted = daysToOpen.sorted()
            let middle = sorted.count / 2
            let median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
            sums["rights_median_days_to_open"] = (median, [:], [:], 0, daysToOpenRecords)
        }
        return Self.codes.map { code in
            let sum = sums[code] ?? (0, [:], [:], 0, [])
            return .init(
                code: code, value: sum.value, groups: sum.groups, kinds: sum.kinds, conflicts: sum.conflicts, records: sum.records
            )
        }
    }

    private static func values(_ record: RecordView) -> [String: String] {
        Dictionary(
            record.fields.compactMap { field in field.values.first.map { (field.name, $0) } }, uniquingKeysWith: { a, _ in a })
    }

    /// Days between two full dates; nil when either is partial.
    private static func days(from start: String, to end: String?) -> Double? {
        guard let end, start.count == 10, end.count == 10 else { return nil }
        let format = Date.ISO8601FormatStyle().year().month().day()
        guard let first = try? Date(start, strategy: format), let last = try? Date(end, strategy: format) else { return nil }
        return (last.timeIntervalSince(first) / 86_400).rounded()
    }
}
