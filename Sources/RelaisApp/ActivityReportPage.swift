import Foundation
import Mustache
import RelaisCore
import RelaisStore

/// The activity report as a page: the figures in a table, charts drawn on the server, the detail
/// by month, team or place; in the app ("Rapport d'activité") and as a file that prints on A4
/// (`relais report --format html`). Always the published figures: small counts hidden.
public struct ActivityReportPage {
    let report: PublishedReport
    let labels: ReportLabels
    /// The node the figures come from, and when they were computed.
    let device: String
    let computed: String

    private static let evolution = [
        "visits", "collective_sessions", "persons_met_collectively", "new_inclusions", "referrals_proposed", "rights_opened",
    ]
    private static let breakdowns = [
        ("visits", "Visites par type"), ("referrals_proposed", "Orientations par destination"),
        ("rights_opened", "Droits ouverts par dispositif"), ("files_closed", "Sorties par motif"),
        ("professional_requests", "Sollicitations par source"), ("interpreter_hours", "Heures d'interprétariat par langue"),
    ]

    var values: [String: Any] {
        let grouping = ReportLabels.groupings[report.grouping] ?? ""
        var values: [String: Any] = [
            "periode": "De \(FrenchText.date(report.from)) à \(FrenchText.date(report.to))", "par": grouping,
            "titreGroupes": report.grouping == .month ? "Évolution par mois" : "Répartition \(grouping)",
            "appareil": device, "calcule": computed,
            "indicateurs": report.indicators.map { indicator -> [String: Any] in
                var row: [String: Any] = [
                    "libelle": labels.indicator(indicator.code), "total": ReportLabels.figure(indicator.value),
                ]
                if let note = note(indicator) { row["note"] = note }
                return row
            },
        ]
        values["definitions"] = report.indicators.map { indicator -> [String: String] in
            ["libelle": labels.indicator(indicator.code), "definition": ReportLabels.definitions[indicator.code] ?? ""]
        }
        if let closed = report.closedMonths, !closed.isEmpty {
            values["clos"] = closed.map(FrenchText.date).joined(separator: ", ")
        }
        let groups = groupKeys
        let charts = Self.evolution.compactMap { code -> [String: Any]? in
            guard let indicator = indicator(code), !indicator.groups.isEmpty else { return nil }
            return ReportCharts.columns(
                title: labels.indicator(code),
                groups.map {
                    (
                        labels.group($0, by: report.grouping), labels.shortGroup($0, by: report.grouping),
                        indicator.groups[$0] ?? .number(0)
                    )
                })
        }
        let parts = Self.breakdowns.compactMap { code, title -> [String: Any]? in
            guard let indicator = indicator(code), !indicator.kinds.isEmpty else { return nil }
            return ReportCharts.rows(title: title, indicator.kinds.map { (labels.kind($0.key, of: code), $0.value) })
        }
        let detailed = report.indicators.filter { !$0.groups.isEmpty }
        (values["graphiques"], values["evolution"]) = (charts, !charts.isEmpty)
        (values["repartitions"], values["repartition"]) = (parts, !parts.isEmpty)
        if !detailed.isEmpty {
            values["detail"] = true
            values["colonnes"] = groups.map { labels.group($0, by: report.grouping) }
            values["lignes"] = detailed.map { indicator -> [String: Any] in
                [
                    "libelle": labels.indicator(indicator.code),
                    "cellules": groups.map { indicator.groups[$0].map(ReportLabels.figure) ?? "0" },
                ]
            }
        }
        return values
    }

    private func indicator(_ code: String) -> PublishedReport.Indicator? { report.indicators.first { $0.code == code } }

    /// Every month of the period in order; teams and places by name.
    private var groupKeys: [String] {
        guard report.grouping == .month else {
            return Set(report.indicators.flatMap(\.groups.keys)).sorted {
                labels.group($0, by: report.grouping) < labels.group($1, by: report.grouping)
            }
        }
        var months: [String] = []
        var month = report.from
        while month <= report.to, months.count < 240 {
            months.append(month)
            let parts = month.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 2 else { break }
            month = parts[1] == 12 ? String(format: "%04d-01", parts[0] + 1) : String(format: "%04d-%02d", parts[0], parts[1] + 1)
        }
        return months
    }

    private func note(_ indicator: PublishedReport.Indicator) -> String? {
        var notes: [String] = []
        switch indicator.conflicts {
        case .hidden: notes.append("moins de 5 enregistrements avec une valeur en conflit (la valeur affichée est comptée)")
        case .number(let count) where count > 0:
            notes.append("\(Int(count)) enregistrements avec une valeur en conflit (la valeur affichée est comptée)")
        default: break
        }
        if let parts = indicator.hiddenParts, parts > 0 {
            notes.append("sans \(parts) chiffre(s) de 1 à 4 masqué(s) par les hubs")
        }
        let cells =
            (indicator.hiddenInGroups ?? [:]).map { (labels.group($0.key, by: report.grouping), $0.value) }
            + (indicator.hiddenInKinds ?? [:]).map { (labels.kind($0.key, of: indicator.code), $0.value) }
        if !cells.isEmpty {
            let listed = cells.sorted { $0.0 < $1.0 }.map { "\($0.0) : \($0.1)" }.joined(separator: ", ")
            notes.append("dans le détail, chiffres de 1 à 4 masqués par les hubs et non comptés — \(listed)")
        }
        return notes.isEmpty ? nil : notes.joined(separator: " ; ")
    }
}

extension ActivityReportPage {
    /// The report as one HTML file with its stylesheet inside, to print or to send, computed today.
    public static func document(_ report: PublishedReport, device: String) -> String {
        var library = MustacheLibrary()
        for name in ["rapport-fichier", "rapport-corps", "graphique"] {
            guard let url = Bundle.module.resourceURL?.appendingPathComponent("Templates/\(name).mustache"),
                let template = try? String(contentsOf: url, encoding: .utf8),
                (try? library.register(template, named: name)) != nil
            else { preconditionFailure("the app's template \(name) is missing from the build") }
        }
        var values = ActivityReportPage(
            report: report, labels: ReportLabels(text: FrenchText(labels: .french)), device: device,
            computed: FrenchText.today()
        ).values
        values["css"] = Assets.text("app.css")
        guard let html = library.render(values, withTemplate: "rapport-fichier") else {
            preconditionFailure("the app's template rapport-fichier is missing from the build")
        }
        return html
    }
}
