import Foundation
import RelaisCore
import RelaisHarness
import RelaisStore
import RelaisTestSupport
import Testing

/// Every indicator on a seeded caseload, against figures the test derives from what it wrote,
/// not from the replica.
@Suite struct ActivityReportTests {
    private struct Written {
        var visits: [(person: Int, month: String, kind: String, team: String, minutes: Int)] = []
        var referrals: [(month: String, to: String, followed: Bool)] = []
        var opened: [(month: String, scheme: String, days: Int?)] = []
        var lapsed: [(month: String, scheme: String)] = []
        var inclusions: [String] = []
        var exits: [(month: String, reason: String, gp: Bool, entry: Int, exit: Int)] = []
        var sessions: [(month: String, kind: String, met: Int, interviews: Int)] = []
        var requests: [(month: String, source: String)] = []
        var persons: [String] = []
    }

    private let months = ["2025-12", "2026-01", "2026-02", "2026-03"]
    private let period = ("2026-01", "2026-02")

    private func inPeriod(_ month: String) -> Bool { month >= period.0 && month <= period.1 }

    private func caseload(seed: UInt64) throws -> (Replica, Written) {
        var random = SeededGenerator(seed: seed)
        let replica = try ReplicaGroup(count: 1).replicas[0]
        var written = Written()
        func day(_ month: String) -> String { month + String(format: "-%02d", Int.random(in: 1...28, using: &random)) }
        for index in 0..<40 {
            let gp = Bool.random(using: &random)
            let person = try replica.addPerson(["family_name=P\(index)", "has_gp=\(gp ? "yes" : "no")"]).hex
            written.persons.append(person)
            for _ in 0..<Int.random(in: 0...4, using: &random) {
                let month = months.randomElement(using: &random)!
                let kind = ["interview", "accompaniment", "home_visit"].randomElement(using: &random)!
                let team = ["nord", "sud"].randomElement(using: &random)!
                let minutes = [0, 30, 45].randomElement(using: &random)!
                var fields = ["date=\(day(month))", "kind=\(kind)", "care_team=\(team)"]
                if minutes > 0 { fields += ["interpreter_minutes=\(minutes)", "interpreter_used=ar", "interpreter_mode=phone"] }
                try replica.addLinkedRecord(type: "visit", person: person, set: fields)
                written.visits.append((index, month, kind, team, minutes))
            }
            if Bool.random(using: &random) {
                let month = months.randomElement(using: &random)!
                let to = ["pass", "gp"].randomElement(using: &random)!
                let followed = Bool.random(using: &random)
                try replica.addLinkedRecord(
                    type: "referral", person: person,
                    set: ["date=\(day(month))", "to=\(to)", "status=\(followed ? "followed" : "proposed")"])
                written.referrals.append((month, to, followed))
            }
            if Bool.random(using: &random) {
                let month = months.randomElement(using: &random)!
                let opened = day(month)
                let wait = Int.random(in: 5...90, using: &random)
                let style = Date.ISO8601FormatStyle().year().month().day()
                let filed = (try Date(opened, strategy: style) - Double(wait) * 86_400).formatted(style)
                let scheme = ["ame", "puma"].randomElement(using: &random)!
                try replica.addLinkedRecord(
                    type: "rights_episode", person: person,
                    set: ["scheme=\(scheme)", "state=open", "filed=\(filed)", "opened=\(opened)"])
                written.opened.append((month, scheme, wait))
            }
            if Int.random(in: 0..<4, using: &random) == 0 {
                let month = months.randomElement(using: &random)!
                try replica.addLinkedRecord(
                    type: "rights_episode", person: person, set: ["scheme=css", "state=lapsed", "expires=\(day(month))"])
                written.lapsed.append((month, "css"))
            }
            if Bool.random(using: &random) {
                let month = months.randomElement(using: &random)!
                var fields = ["inclusion_date=\(day(month))", "empowerment_entry=\(index % 10)"]
                written.inclusions.append(month)
                if Bool.random(using: &random) {
                    let out = months.randomElement(using: &random)!
                    let reason = ["autonomous", "handed_over"].randomElement(using: &random)!
                    fields += ["exit_date=\(day(out))", "exit_reason=\(reason)", "empowerment_exit=\(index % 10 + 5)"]
                    written.exits.append((out, reason, gp, index % 10, index % 10 + 5))
                }
                try replica.addLinkedRecord(type: "programme_episode", person: person, set: fields)
            }
        }
        for _ in 0..<12 {
            let month = months.randomElement(using: &random)!
            let kind = ["permanence", "information_session"].randomElement(using: &random)!
            let met = Int.random(in: 0...30, using: &random)
            let interviews = Int.random(in: 0...met, using: &random)
            try replica.addOrganisationRecord(
                type: "collective_session",
                set: ["date=\(day(month))", "kind=\(kind)", "persons_met=\(met)", "interviews=\(interviews)"])
            written.sessions.append((month, kind, met, interviews))
        }
        for _ in 0..<9 {
            let month = months.randomElement(using: &random)!
            let source = ["gp", "social_service"].randomElement(using: &random)!
            try replica.addOrganisationRecord(type: "professional_request", set: ["date=\(day(month))", "source=\(source)"])
            written.requests.append((month, source))
        }
        return (replica, written)
    }

    private func report(_ replica: Replica, by grouping: ActivityReport.Grouping) throws -> ActivityReport {
        try replica.activityReport(from: period.0, to: period.1, grouping: grouping)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func everyIndicatorMatchesWhatWasWritten(seed: UInt64) throws {
        let (replica, written) = try caseload(seed: seed)
        let report = try report(replica, by: .month)
        func value(_ code: String) -> Double { report.indicator(code)?.value ?? -1 }
        func count<T>(_ items: [T]) -> Double { Double(items.count) }

        let visits = written.visits.filter { inPeriod($0.month) }
        #expect(value("visits") == count(visits))
        #expect(value("file_active") == Double(Set(visits.map(\.person)).count))
        #expect(value("accompaniments") == count(visits.filter { $0.kind == "accompaniment" }))
        #expect(value("interpreter_hours") == Double(visits.map(\.minutes).reduce(0, +)) / 60)
        for month in ["2026-01", "2026-02"] {
            #expect(report.indicator("visits")?.groups[month] ?? 0 == count(visits.filter { $0.month == month }))
        }
        let referrals = written.referrals.filter { inPeriod($0.month) }
        #expect(value("referrals_proposed") == count(referrals))
        #expect(value("referrals_followed") == count(referrals.filter(\.followed)))
        #expect(report.indicator("referrals_proposed")?.kinds["gp"] ?? 0 == count(referrals.filter { $0.to == "gp" }))
        let opened = written.opened.filter { inPeriod($0.month) }
        #expect(value("rights_opened") == count(opened))
        let waits = opened.compactMap(\.days).sorted()
        if !waits.isEmpty {
            let middle = waits.count / 2
            let median = waits.count % 2 == 1 ? Double(waits[middle]) : Double(waits[middle - 1] + waits[middle]) / 2
            #expect(value("rights_median_days_to_open") == median)
        }
        #expect(value("rights_lapsed") == count(written.lapsed.filter { inPeriod($0.month) }))
        #expect(value("new_inclusions") == count(written.inclusions.filter(inPeriod)))
        let exits = written.exits.filter { inPeriod($0.month) }
        #expect(value("files_closed") == count(exits))
        #expect(report.indicator("files_closed")?.kinds["autonomous"] ?? 0 == count(exits.filter { $0.reason == "autonomous" }))
        #expect(value("gp_at_exit") == count(exits.filter(\.gp)))
        if !exits.isEmpty {
            #expect(value("empowerment_entry_mean") == Double(exits.map(\.entry).reduce(0, +)) / count(exits))
            #expect(value("empowerment_exit_mean") == Double(exits.map(\.exit).reduce(0, +)) / count(exits))
        }
        let sessions = written.sessions.filter { inPeriod($0.month) }
        #expect(value("collective_sessions") == count(sessions))
        #expect(value("persons_met_collectively") == Double(sessions.map(\.met).reduce(0, +)))
        #expect(value("interviews_collectively") == Double(sessions.map(\.interviews).reduce(0, +)))
        let permanences = sessions.filter { $0.kind == "permanence" }
        if !permanences.isEmpty {
            #expect(value("persons_per_permanence") == Double(permanences.map(\.met).reduce(0, +)) / count(permanences))
        }
        let requests = written.requests.filter { inPeriod($0.month) }
        #expect(value("professional_requests") == count(requests))
        #expect(report.indicator("professional_requests")?.kinds["gp"] ?? 0 == count(requests.filter { $0.source == "gp" }))

        let byTeam = try self.report(replica, by: .team)
        #expect(byTeam.indicator("visits")?.groups["nord"] ?? 0 == count(visits.filter { $0.team == "nord" }))
    }

    @Test(arguments: [UInt64(4), 5])
    func closingAMonthChangesNoFigure(seed: UInt64) throws {
        let (replica, _) = try caseload(seed: seed)
        for grouping in ActivityReport.Grouping.allCases {
            let before = try report(replica, by: grouping)
            if grouping == .month { _ = try replica.closeMonth(period.0) }
            let after = try report(replica, by: grouping)
            #expect(after.closedMonths == [period.0])
            for (old, new) in zip(before.indicators, after.indicators) {
                #expect(abs(old.value - new.value) < 1e-9, "\(old.code) by \(grouping)")
                #expect(old.groups.mapValues { ($0 * 1e6).rounded() } == new.groups.mapValues { ($0 * 1e6).rounded() })
                #expect(old.kinds.mapValues { ($0 * 1e6).rounded() } == new.kinds.mapValues { ($0 * 1e6).rounded() })
                #expect(old.conflicts == new.conflicts && old.basis == new.basis, "\(old.code)")
            }
            // What a closed month counted is kept as counts only: `explain` no longer lists its records.
            #expect(after.indicator("visits")!.records.count < before.indicator("visits")!.records.count || grouping != .month)
        }
    }

    @Test func aPersonErasedAfterTheMonthClosedStillCountsInIt() throws {
        let (replica, written) = try caseload(seed: 6)
        let erased = try #require(
            written.persons.indices.first { index in
                let months = Set(written.visits.filter { $0.person == index }.map(\.month))
                return months.contains(period.0) && months.contains(period.1)
            })
        let theirs = written.visits.filter { $0.person == erased }
        let before = try report(replica, by: .month)
        let beforeByTeam = try report(replica, by: .team)
        _ = try replica.closeMonth(period.0)
        _ = try replica.erase(written.persons[erased])

        let after = try report(replica, by: .month)
        let visits = try #require(after.indicator("visits"))
        #expect(visits.groups[period.0] == before.indicator("visits")?.groups[period.0])
        let february = Double(theirs.filter { $0.month == period.1 }.count)
        #expect(visits.groups[period.1] == (before.indicator("visits")?.groups[period.1] ?? 0) - february)
        // Counted in January, which keeps them; February's records no longer hold them.
        #expect(after.indicator("file_active")?.value == before.indicator("file_active")?.value)
        let byTeam = try report(replica, by: .team)
        for team in ["nord", "sud"] {
            let gone = Double(theirs.filter { $0.month == period.1 && $0.team == team }.count)
            #expect(byTeam.indicator("visits")?.groups[team] == (beforeByTeam.indicator("visits")?.groups[team] ?? 0) - gone)
        }
    }

    @Test func aMonthClosesOnceAndOnlyWhenOver() throws {
        let (replica, _) = try caseload(seed: 7)
        _ = try replica.closeMonth("2026-01")
        #expect(throws: StoreError.self) { try replica.closeMonth("2026-01") }
        // The replicas' clock reads September 2026.
        #expect(throws: StoreError.self) { try replica.closeMonth("2026-09") }
        #expect(throws: StoreError.self) { try replica.closeMonth("2027-01") }
        #expect(try replica.reports.closed().map(\.month) == ["2026-01"])
    }
}
