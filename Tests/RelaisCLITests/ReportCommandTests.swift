import Foundation
import RelaisHarness
import RelaisTestSupport
import Testing

/// `relais report`: a closed month keeps its figures when a person is erased, bad months get
/// one line, and the HTML report names no one.
@Suite struct ReportCommandTests {
    let cli = CLIWorkspace()
    var data: String { cli.path("data") }

    private func visits(_ period: [String] = ["--from", "2026-01", "--to", "2026-02"]) throws -> (Double, [String]) {
        let json = try cli.run(["report", "--data", data, "--format", "json"] + period)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let indicators = try #require(report["indicators"] as? [[String: Any]])
        let visits = try #require(indicators.first { $0["code"] as? String == "visits" })
        return (try #require(visits["value"] as? Double), report["closed_months"] as? [String] ?? [])
    }

    @Test func aClosedMonthKeepsItsFiguresWhenAPersonIsErased() throws {
        _ = try cli.run(["init", "--data", data])
        let kept = try cli.run(["person", "add", "--data", data, "--set", "family_name=Benali"])
        let erased = try cli.run(["person", "add", "--data", data, "--set", "family_name=Traoré"])
        for (person, days) in [(kept, 1...4), (erased, 5...8)] {
            for day in days {
                _ = try cli.run([
                    "visit", "add", "--data", data, "--person", person, "--set", "date=2026-01-0\(day)", "--set",
                    "kind=interview",
                ])
            }
        }
        _ = try cli.run(["visit", "add", "--data", data, "--person", erased, "--set", "date=2026-02-03"])
        #expect(try visits().0 == 9)

        let closed = try cli.run(["report", "close", "--data", data, "2026-01"])
        #expect(closed.contains("Closed 2026-01") && closed.contains("visits 8"), "\(closed)")
        _ = try cli.run(["person", "erase", "--data", data, erased, "--yes"])
        let (after, months) = try visits()
        #expect(after == 8, "January keeps the erased person's four visits; February loses its one")
        #expect(months == ["2026-01"])

        let explain = try cli.run(["report", "explain", "--data", data, "--from", "2026-01", "--to", "2026-02", "visits"])
        #expect(explain.contains("8 of them counted in closed months (2026-01)"), "\(explain)")

        let html = try cli.run(["report", "--data", data, "--from", "2026-01", "--to", "2026-03", "--format", "html"])
        #expect(html.hasPrefix("<!doctype html>") && html.contains("<svg") && html.contains("Rapport d'activité"))
        #expect(html.contains("Mois clos, comptés tels qu'ils étaient à leur clôture : janvier 2026"))
        #expect(html.contains("Visites et accompagnements") && html.contains("&lt; 5"))
        #expect(!html.contains("Benali") && !html.contains(kept), "no one is named in the report")
    }

    @Test(arguments: [
        (["2026-01"], "was closed on"), (["2099-01"], "is not over yet"), (["2026-13"], "is not a month"),
        (["janvier"], "is not a month"),
    ])
    func aMonthThatCannotBeClosedGetsOneLine(arguments: [String], message: String) throws {
        _ = try cli.run(["init", "--data", data])
        _ = try cli.run(["report", "close", "--data", data, "2026-01"])
        let result = try cli.relais.run(["report", "close", "--data", data] + arguments)
        #expect(result.status != 0)
        #expect(result.error.contains(message), "\(result.error)")
        #expect(result.error.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1, "\(result.error)")
    }

    @Test func aRegionalReportSaysWhichSumsLeaveHiddenFiguresOut() throws {
        func hub(_ name: String, visits: String) throws -> String {
            let path = cli.path(name)
            let json = """
                {"from": "2026-01", "to": "2026-01", "grouping": "month", "indicators": [{"code": "visits",
                "value": \(visits), "groups": {"2026-01": \(visits)}, "kinds": {}, "conflicts": 0}]}
                """
            try json.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let hubs = [try hub("north.json", visits: "12"), try hub("south.json", visits: "\"< 5\"")]
        let text = try cli.run(["report", "merge"] + hubs)
        #expect(text.contains("visits: 12  (plus 1 hidden figures of 1 to 4)"), "\(text)")
        #expect(text.contains("  2026-01: 12  (plus 1 hidden figures of 1 to 4)"), "\(text)")
        let csv = try cli.run(["report", "merge", "--format", "csv"] + hubs).split(separator: "\n")
        #expect(csv.first == "indicator,total,2026-01,conflicts,hidden_left_out")
        #expect(csv.dropFirst().first == "visits,12,12,0,total 1; 2026-01 1")
    }
}
