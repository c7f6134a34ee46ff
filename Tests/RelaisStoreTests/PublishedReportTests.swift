import Foundation
import RelaisCore
import RelaisHarness
@testable import RelaisStore
import RelaisTestSupport
import Testing

/// What leaves the hub: no count from 1 to 4, and none that the others give back.
@Suite struct PublishedReportTests {
    typealias Cell = PublishedReport.Cell

    @Test func aSingleSmallCellHidesTheNextSmallestToo() {
        let cells = PublishedReport.breakdown(["a": 3, "b": 10, "c": 12, "d": 0], total: .number(25), threshold: 5)
        #expect(cells == ["a": .hidden, "b": .hidden, "c": .number(12), "d": .number(0)])
        let two = PublishedReport.breakdown(["a": 3, "b": 2, "c": 20], total: .number(25), threshold: 5)
        #expect(two == ["a": .hidden, "b": .hidden, "c": .number(20)])
        let hiddenTotal = PublishedReport.breakdown(["a": 3, "b": 0], total: .hidden, threshold: 5)
        #expect(hiddenTotal == ["a": .hidden, "b": .number(0)])
    }

    @Test func aReportOfAFewVisitsHidesThemAndReadsBack() throws {
        let replica = try ReplicaGroup(count: 1).replicas[0]
        let person = try replica.addPerson(["family_name=Sow"]).hex
        for day in 1...3 {
            try replica.addLinkedRecord(
                type: "visit", person: person, set: ["date=2026-02-0\(day)", "kind=interview", "interpreter_minutes=30"])
        }
        let report = ActivityReport(
            persons: try replica.snapshot(), teamRecords: [], from: "2026-01", to: "2026-03", grouping: .month)
        let published = PublishedReport(report)
        let visits = try #require(published.indicators.first { $0.code == "visits" })
        #expect(visits.value == .hidden)
        #expect(visits.groups["2026-02"] == .hidden)
        #expect(published.indicators.first { $0.code == "interpreter_hours" }?.value == .hidden)
        #expect(PublishedReport(report, suppressing: false).indicators.first { $0.code == "visits" }?.value == .number(3))
        let json = try JSONEncoder().encode(published)
        #expect(String(decoding: json, as: UTF8.self).contains("\"< 5\""))
        #expect(
            try JSONDecoder().decode(PublishedReport.self, from: json).indicators.first { $0.code == "visits" }?.value == .hidden)
    }

    @Test func regionalReportsAddUpAndSayWhatIsHidden() throws {
        func report(_ from: String, visits: Cell, mean: Double, grouping: ActivityReport.Grouping = .month) -> PublishedReport {
            PublishedReport(
                from: from, to: from, grouping: grouping,
                indicators: [
                    .init(code: "visits", value: visits, groups: [from: visits], kinds: [:], conflicts: .number(0)),
                    .init(code: "empowerment_exit_mean", value: .number(mean), groups: [:], kinds: [:], conflicts: .number(0)),
                ])
        }
        let merged = try PublishedReport.merge([
            report("2026-01", visits: .number(12), mean: 10), report("2026-02", visits: .hidden, mean: 20),
        ])
        let visits = try #require(merged.indicators.first { $0.code == "visits" })
        #expect((visits.value, visits.hiddenParts) == (.number(12), 1))
        #expect(visits.groups == ["2026-01": .number(12), "2026-02": .hidden])
        #expect(!merged.indicators.contains { $0.code == "empowerment_exit_mean" }, "a mean does not add up")
        #expect((merged.from, merged.to) == ("2026-01", "2026-02"))
        #expect(throws: ReportMergeError.self) {
            try PublishedReport.merge([
                report("2026-01", visits: .number(5), mean: 1), report("2026-02", visits: .number(5), mean: 1, grouping: .team),
            ])
        }
    }

    @Test func aMergedCellSaysHowManyHiddenFiguresItsSumLeavesOut() throws {
        func hub(_ visits: Cell) -> PublishedReport {
            PublishedReport(
                from: "2026-01", to: "2026-01", grouping: .month,
                indicators: [
                    .init(
                        code: "visits", value: visits, groups: ["2026-01": visits], kinds: ["home_visit": visits],
                        conflicts: .number(0))
                ])
        }
        let three = try #require(try PublishedReport.merge([hub(.number(12)), hub(.hidden), hub(.hidden)]).indicators.first)
        #expect((three.value, three.hiddenParts) == (.number(12), 2))
        #expect(three.groups == ["2026-01": .number(12)] && three.hiddenInGroups == ["2026-01": 2])
        #expect(three.kinds == ["home_visit": .number(12)] && three.hiddenInKinds == ["home_visit": 2])

        let twoHidden = try #require(try PublishedReport.merge([hub(.hidden), hub(.hidden)]).indicators.first)
        #expect((twoHidden.value, twoHidden.hiddenParts) == (.number(0), 2), "two figures of 1 to 4 may add up to 8")
        #expect(twoHidden.hiddenInGroups == ["2026-01": 2])

        let one = try #require(try PublishedReport.merge([hub(.hidden)]).indicators.first)
        #expect((one.value, one.hiddenParts) == (.hidden, 0))
        #expect(one.hiddenInGroups == [:] && one.groups == ["2026-01": .hidden])
    }
}
