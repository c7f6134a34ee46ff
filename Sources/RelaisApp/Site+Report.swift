import Dispatch
import Foundation
import Hummingbird
import RelaisCore
import RelaisDaemon
import RelaisStore

/// "Rapport d'activité": the programme's indicators over the months asked, as the agency reads
/// them (small counts hidden), to print on A4. On the hub it covers every team; on a laptop,
/// what the laptop holds.
extension Site {
    func registerReport(on router: Router<BasicRequestContext>) {
        router.get("/rapport") { request, _ in
            try await unlocked(request) { _, session in
                let query = request.uri.queryParameters
                let thisMonth = String(LocalTime.day().prefix(7))
                let from = query.get("du") ?? String(thisMonth.prefix(4)) + "-01"
                let to = query.get("au") ?? thisMonth
                let grouping = query.get("par").flatMap(ActivityReport.Grouping.init(rawValue:)) ?? .month
                var values: [String: Any] = [
                    "jeton": session.csrf, "du": from, "au": to,
                    "groupements": ActivityReport.Grouping.allCases.map { option -> [String: Any] in
                        ["code": option.rawValue, "libelle": ReportLabels.groupings[option] ?? "", "choisi": option == grouping]
                    },
                ]
                if let problem = Self.periodProblem(from: from, to: to) {
                    values["erreur"] = problem
                    return render("rapport", values, title: "Rapport d'activité", status: .badRequest)
                }
                // Every file of the node is read: off the server's threads.
                let reports = node.reports
                let report = try await withCheckedThrowingContinuation { continuation in
                    DispatchQueue.global().async {
                        continuation.resume(with: Result { try reports.report(from: from, to: to, grouping: grouping) })
                    }
                }
                let page = ActivityReportPage(
                    report: PublishedReport(report), labels: ReportLabels(text: text), device: try await node.status().name,
                    computed: FrenchText.today())
                values["rapport"] = page.values
                return render("rapport", values, title: "Rapport d'activité")
            }
        }
    }

    /// What is wrong with a period typed in the form, in French; nil when it is a period.
    static func periodProblem(from: String, to: String) -> String? {
        func month(_ text: String) -> PartialDate? {
            PartialDate(parsing: text).flatMap { $0.month != 0 && $0.day == 0 ? $0 : nil }
        }
        guard let first = month(from), let last = month(to) else {
            return "Choisissez le premier et le dernier mois du rapport (mois et année)."
        }
        let span = (Int(last.year) - Int(first.year)) * 12 + Int(last.month) - Int(first.month)
        guard span >= 0 else { return "Le premier mois vient après le dernier : inversez-les." }
        guard span < 36 else { return "Un rapport couvre au plus 36 mois : choisissez une période plus courte." }
        return nil
    }
}
