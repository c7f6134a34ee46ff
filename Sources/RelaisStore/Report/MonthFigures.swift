import Foundation

/// One month's figures with no record identifier in them: counts and sums, by team, place and
/// kind. A report adds months up; a closed month keeps its figures (`ClosedMonths`), so that a
/// person erased later still counts in the months already reported.
public struct MonthFigures: Codable, Sendable, Equatable {
    /// One indicator's sums in the month.
    struct Figure: Codable, Sendable, Equatable {
        var value = 0.0
        var teams: [String: Double] = [:]
        var places: [String: Double] = [:]
        var kinds: [String: Double] = [:]
        var conflicts = 0
        /// How many records were counted: what a mean is over, and what suppression looks at.
        var records = 0
    }

    /// By indicator code, and the parts of ratios and means (`permanence_count`...).
    var figures: [String: Figure] = [:]
    /// The waits from filing to opening of the rights opened in the month: how many of each number of days.
    var daysToOpen: [String: Int] = [:]
    /// Persons with a visit in the month, by the month of their visit before ("" for none): over
    /// a period, a person is active once, in the first month whose visit before is older than the period.
    var activeAfter: [String: Int] = [:]
}

/// One pass over a node's files, adding each record to the figures of its month.
struct MonthTally {
    let from: String
    let to: String
    private(set) var months: [String: MonthFigures] = [:]
    /// The ids of the records counted, by month and indicator: for `relais report explain`, never kept.
    private(set) var records: [String: [String: [String]]] = [:]

    /// The indicators counted from visits and collective sessions, which name a team and a place.
    static let located: Set<String> = [
        "visits", "accompaniments", "interpreter_hours", "collective_sessions", "persons_met_collectively",
        "interviews_collectively", "persons_per_permanence", "permanence_count",
    ]

    /// The fields counted, by record type: all a report reads of the persons' files.
    static let fields: [String: Set<String>] = [
        "person": ["has_gp"],
        "visit": ["date", "care_team", "place_kind", "kind", "interpreter_minutes", "interpreter_used", "interpreter_mode"],
        "referral": ["date", "to", "status"],
        "rights_episode": ["scheme", "state", "filed", "opened", "expires", "ended"],
        "programme_episode": ["inclusion_date", "exit_date", "exit_reason", "empowerment_entry", "empowerment_exit"],
    ]

    init(from: String, to: String) { (self.from, self.to) = (from, to) }

    /// The month of a stored date, when it is in the period.
    private func month(_ date: String?) -> String? {
        guard let month = Self.month(of: date) else { return nil }
        return month >= from && month <= to ? month : nil
    }

    private static func month(of date: String?) -> String? {
        guard let date, date.count >= 7 else { return nil }
        return String(date.prefix(7))
    }

    private mutating func add(
        _ code: String, _ amount: Double = 1, month: String, team: String? = nil, place: String? = nil, kind: String? = nil,
        record: String, conflict: Bool
    ) {
        var figure = months[month]?.figures[code] ?? .init()
        figure.value += amount
        // Only visits and collective sessions name a team and a place; the others have a total only.
        if Self.located.contains(code) {
            figure.teams[team ?? "(sans équipe)", default: 0] += amount
            figure.places[place ?? "(lieu non renseigné)", default: 0] += amount
        }
        if let kind { figure.kinds[kind, default: 0] += amount }
        if conflict { figure.conflicts += 1 }
        figure.records += 1
        months[month, default: .init()].figures[code] = figure
        records[month, default: [:]][code, default: []].append(record)
    }

    mutating func count(_ file: PersonFile) {
        var exits: [(month: String, record: RecordView)] = []
        for record in file.linked {
            let value = Self.values(record)
            let conflict = record.fields.contains(where: \.inConflict)
            switch record.type {
            case "visit":
                guard let month = month(value["date"]) else { continue }
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
                        months[month, default: .init()].daysToOpen[String(days), default: 0] += 1
                        records[month, default: [:]]["rights_median_days_to_open", default: []].append(record.id)
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
        countActivity(file)
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

    /// The person in every month of the period they had a visit, with their visit's month before.
    private mutating func countActivity(_ file: PersonFile) {
        let visited = Set(file.linked.compactMap { $0.type == "visit" ? Self.month(of: Self.values($0)["date"]) : nil }).sorted()
        for (index, month) in visited.enumerated() where month >= from && month <= to {
            let before = index > 0 ? visited[index - 1] : ""
            months[month, default: .init()].activeAfter[before, default: 0] += 1
            if before < from { records[month, default: [:]]["file_active", default: []].append(file.id) }
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

    private static func values(_ record: RecordView) -> [String: String] {
        Dictionary(
            record.fields.compactMap { field in field.values.first.map { (field.name, $0) } }, uniquingKeysWith: { a, _ in a })
    }

    /// Days between two full dates; nil when either is partial.
    private static func days(from start: String, to end: String?) -> Int? {
        guard let end, start.count == 10, end.count == 10 else { return nil }
        let format = Date.ISO8601FormatStyle().year().month().day()
        guard let first = try? Date(start, strategy: format), let last = try? Date(end, strategy: format) else { return nil }
        return Int((last.timeIntervalSince(first) / 86_400).rounded())
    }
}
