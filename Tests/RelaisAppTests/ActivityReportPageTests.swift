import Foundation
@testable import RelaisApp
import RelaisStore
import Testing

/// The report page: the periods it refuses, and how its figures and charts read.
@Suite struct ActivityReportPageTests {
    @Test(arguments: [
        ("2026-01", "2026-12", nil), ("2026-12", "2026-12", nil), ("2024-01", "2026-12", nil),
        ("2024-01", "2027-01", "au plus 36 mois"),
        ("2026-05", "2026-01", "vient après"), ("2026-13", "2026-12", "Choisissez"), ("2026", "2026-12", "Choisissez"),
        ("2026-01-05", "2026-12", "Choisissez"), ("", "", "Choisissez"),
    ])
    func aPeriodIsTwoMonthsInOrderWithinThreeYears(from: String, to: String, problem: String?) {
        let found = Site.periodProblem(from: from, to: to)
        if let problem {
            #expect(found?.contains(problem) == true, "\(from)…\(to): \(found ?? "accepted")")
        } else {
            #expect(found == nil)
        }
    }

    @Test func figuresReadInFrenchAndAHiddenOneIsAStubNeverABar() {
        #expect(ReportLabels.figure(.number(1234)) == "1\u{202F}234")
        #expect(ReportLabels.figure(.number(2.5)) == "2,5")
        #expect(ReportLabels.figure(.hidden) == "< 5")
        let chart = ReportCharts.columns(
            title: "Visites", [("janvier 2026", "janv.", .number(40)), ("février 2026", "févr.", .hidden)])
        let bars = chart["barres"] as? [[String: Any]] ?? []
        #expect(bars.count == 2)
        #expect(bars[0]["h"] as? Double ?? 0 > 100, "the largest bar spans the chart")
        #expect(bars[1]["cache"] as? Bool == true && (bars[1]["h"] as? Double ?? 99) < 2)
        #expect((chart["resume"] as? String)?.contains("février 2026 : < 5") == true)
        #expect((ReportCharts.columns(title: "Vide", [])["barres"] as? [[String: Any]])?.isEmpty == true)
    }
}

/// The definitions printed with the report are docs/INDICATORS.md's, word for word.
@Suite struct IndicatorDefinitionsTests {
    @Test func everyIndicatorIsDefinedAsTheGuideDefinesIt() throws {
        let guide = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/INDICATORS.md")
        let text = try String(contentsOf: guide, encoding: .utf8)
        for code in ActivityReport.codes {
            let definition = try #require(ReportLabels.definitions[code], "\(code) has no definition")
            #expect(text.contains("| `\(code)` | \(definition) |"), "\(code)")
            #expect(ReportLabels.indicators[code] != nil, "\(code) has no name")
        }
    }

    @Test func aRegionalReportNamesTheCellsWhoseSumsLeaveHiddenFiguresOut() throws {
        func hub(_ visits: String) throws -> PublishedReport {
            let json = """
                {"from": "2026-01", "to": "2026-01", "grouping": "month", "indicators": [{"code": "visits",
                "value": \(visits), "groups": {"2026-01": \(visits)}, "kinds": {}, "conflicts": 0}]}
                """
            return try JSONDecoder().decode(PublishedReport.self, from: Data(json.utf8))
        }
        let merged = try PublishedReport.merge([try hub("12"), try hub("\"< 5\"")])
        let html = ActivityReportPage.document(merged, device: "2 hubs")
        #expect(html.contains("sans 1 chiffre(s) de 1 à 4 masqué(s) par les hubs"))
        #expect(html.contains("masqués par les hubs et non comptés — janvier 2026 : 1"), "\(html)")
    }
}
