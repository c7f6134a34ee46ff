import Foundation
import RelaisCore
import RelaisStore

/// How the activity report reads in French: each indicator's name, and its groups and kinds
/// through the schema's labels (`ref` is "Orientation vers : PASS").
struct ReportLabels {
    let text: FrenchText

    static let indicators: [String: String] = [
        "file_active": "File active (personnes suivies)",
        "new_inclusions": "Nouvelles inclusions",
        "files_closed": "Sorties du dispositif",
        "visits": "Visites et accompagnements",
        "accompaniments": "dont accompagnements physiques",
        "collective_sessions": "Actions collectives et permanences",
        "persons_met_collectively": "Personnes rencontrées en collectif",
        "interviews_collectively": "Entretiens individuels en collectif",
        "persons_per_permanence": "Personnes rencontrées par permanence (moyenne)",
        "professional_requests": "Sollicitations de professionnel·les",
        "referrals_proposed": "Orientations proposées",
        "referrals_followed": "Orientations effectives",
        "rights_opened": "Droits ouverts",
        "rights_median_days_to_open": "Délai médian d'ouverture des droits (jours)",
        "rights_lapsed": "Droits échus",
        "interpreter_hours": "Heures d'interprétariat",
        "gp_at_exit": "Sorties avec un médecin traitant",
        "empowerment_entry_mean": "Pouvoir d'agir à l'entrée (moyenne)",
        "empowerment_exit_mean": "Pouvoir d'agir à la sortie (moyenne)",
    ]

    /// What each indicator counts, as docs/INDICATORS.md defines it (a test keeps them the same).
    static let definitions: [String: String] = [
        "file_active":
            "File active : personnes ayant eu au moins une visite ou un accompagnement daté dans la période (par mois : le mois de la première).",
        "new_inclusions":
            "Périodes d'accompagnement dont la date d'inclusion est dans la période.",
        "files_closed":
            "Périodes dont la date de sortie est dans la période, par motif de sortie.",
        "visits":
            "Visites et accompagnements datés dans la période, par type d'intervention.",
        "accompaniments":
            "Visites de type « accompagnement physique ».",
        "collective_sessions":
            "Actions collectives et permanences datées dans la période, par type.",
        "persons_met_collectively":
            "Somme des personnes rencontrées lors de ces actions.",
        "interviews_collectively":
            "Somme des entretiens individuels lors de ces actions.",
        "persons_per_permanence":
            "Personnes rencontrées lors des permanences, divisées par le nombre de permanences.",
        "professional_requests":
            "Sollicitations de professionnel·les datées dans la période, par source.",
        "referrals_proposed":
            "Orientations datées dans la période, par destination.",
        "referrals_followed":
            "Parmi elles, celles dont le statut est « effective ».",
        "rights_opened":
            "Droits dont la date d'ouverture est dans la période, par dispositif.",
        "rights_median_days_to_open":
            "Médiane, en jours, du dépôt du dossier à l'ouverture des droits ouverts dans la période (dates complètes seulement).",
        "rights_lapsed":
            "Droits à l'état « échus » dont la fin (constatée, sinon prévue) est dans la période, par dispositif.",
        "interpreter_hours":
            "Heures d'interprétariat des visites de la période, par langue et mode.",
        "gp_at_exit":
            "Personnes sorties dans la période dont la fiche dit qu'elles ont un médecin traitant.",
        "empowerment_entry_mean":
            "Moyenne du pouvoir d'agir à l'entrée, pour les sorties de la période ayant les deux scores.",
        "empowerment_exit_mean":
            "Moyenne du pouvoir d'agir à la sortie, pour les mêmes sorties.",
    ]

    /// The field an indicator's kinds are values of.
    private static let kindFields: [String: (type: String, field: String)] = [
        "visits": ("visit", "kind"), "files_closed": ("programme_episode", "exit_reason"),
        "collective_sessions": ("collective_session", "kind"), "professional_requests": ("professional_request", "source"),
        "referrals_proposed": ("referral", "to"), "referrals_followed": ("referral", "to"),
        "rights_opened": ("rights_episode", "scheme"), "rights_lapsed": ("rights_episode", "scheme"),
    ]

    static let groupings: [ActivityReport.Grouping: String] = [.month: "par mois", .team: "par équipe", .place: "par lieu"]

    func indicator(_ code: String) -> String { Self.indicators[code] ?? code }

    func kind(_ code: String, of indicator: String) -> String {
        if indicator == "interpreter_hours" {
            let parts = code.components(separatedBy: " / ")
            let language = value(parts[0], field: "interpreter_used", of: "visit")
            return parts.count == 2
                ? "\(language) (\(value(parts[1], field: "interpreter_mode", of: "visit").lowercased()))" : language
        }
        guard let (type, field) = Self.kindFields[indicator] else { return code }
        return value(code, field: field, of: type)
    }

    private static let shortMonths = [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.",
    ]

    /// A group as a chart names it under its bar: a month by its short name (`juil.`).
    func shortGroup(_ code: String, by grouping: ActivityReport.Grouping) -> String {
        guard grouping == .month, let month = Int(code.suffix(2)), Self.shortMonths.indices.contains(month - 1) else {
            return group(code, by: grouping)
        }
        return Self.shortMonths[month - 1]
    }

    func group(_ code: String, by grouping: ActivityReport.Grouping) -> String {
        switch grouping {
        case .month: FrenchText.date(code)
        case .team: code
        case .place: value(code, field: "place_kind", of: "visit")
        }
    }

    private func value(_ code: String, field name: String, of type: String) -> String {
        guard code != "?", let field = try? Schema.bundled.recordType(type).fields.first(where: { $0.name == name }) else {
            return code == "?" ? "non renseigné" : code
        }
        return text.value(code, field: field, type: type)
    }

    /// A figure as the report prints it: `1 234`, `2,5`, `< 5`.
    static func figure(_ cell: PublishedReport.Cell) -> String {
        guard case .number(let value) = cell else { return PublishedReport.Cell.hiddenText }
        return value.formatted(.number.precision(.fractionLength(0...1)).locale(Locale(identifier: "fr_FR")))
    }
}
