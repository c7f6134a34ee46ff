import Hummingbird
import RelaisCore
import RelaisDaemon
import RelaisStore

/// The team's own records, which belong to no person: the directory of partners (Annuaire), and
/// the collective activity (Activité: collective sessions and requests from professionals). Every
/// laptop holds them, offline too.
extension Site {
    func registerTeamRecords(on router: Router<BasicRequestContext>) {
        registerTeamRecordSettling(on: router)
        router.get("/annuaire") { request, _ in
            try await unlocked(request) { cookie, session in
                let partners = try register("partner", cookie, devices: await devicesByShortID().mapValues(\.name))
                return render(
                    "registre",
                    [
                        "jeton": session.csrf, "titrePage": "Annuaire des partenaires",
                        "intro":
                            "Les structures et professionnel·les avec qui l'équipe travaille. L'annuaire est partagé par toute l'équipe et se lit sans réseau.",
                        "listes": [partners],
                    ], title: "Annuaire")
            }
        }
        router.get("/activite") { request, _ in
            try await unlocked(request) { cookie, session in
                let devices = await devicesByShortID().mapValues(\.name)
                var sessions = try register("collective_session", cookie, devices: devices)
                sessions["resume"] = try activitySummary()
                return render(
                    "registre",
                    [
                        "jeton": session.csrf, "titrePage": "Activité collective",
                        "intro":
                            "Ce que l'équipe fait sans ouvrir de fiche : permanences, informations collectives, et les sollicitations reçues de professionnel·les.",
                        "listes": [sessions, try register("professional_request", cookie, devices: devices)],
                    ], title: "Activité collective")
            }
        }
    }

    private func registerTeamRecordSettling(on router: Router<BasicRequestContext>) {
        router.post("/equipe-registre/{record}/garder") { request, context in
            let handle = context.parameters.get("record") ?? ""
            return try await keep(request, context) { cookie in
                let record = try teamRecord(handle, cookie)
                return (record.id, record.type, record.fields, Self.listAddress(of: record.type))
            }
        }
    }

    /// The team's record `handle` names in this session, read again.
    /// - Throws: `PageInstead` leading to the directory when it names none (deleted since).
    func teamRecord(_ handle: String, _ cookie: String) throws -> RecordView {
        guard let id = sessions.record(handle, in: cookie),
            let record = Schema.bundled.organisationTypes.lazy.compactMap({
                try? node.views.organisationRecord(id, type: $0.name)
            })
            .first
        else { throw PageInstead(Page.redirect(to: "/annuaire")) }
        return record
    }

    /// Where the list of records of `type` is.
    static func listAddress(of type: String) -> String { type == "partner" ? "/annuaire" : "/activite" }

    /// The directory's entries as a form's choices: (id, "name — commune").
    func partnerChoices() throws -> [(id: String, name: String)] {
        try node.views.organisationRecords(type: "partner").filter { !$0.damaged }.map { record in
            let value = { (name: String) in record.fields.value(of: name) }
            return (record.id, [value("name") ?? "Sans nom", value("commune")].compactMap { $0 }.joined(separator: " — "))
        }
    }

    /// How references read on a page: a partner by its name, a person by theirs with a link to
    /// their file in this session.
    func references(_ cookie: String) throws -> PersonPage.References {
        let partners = Dictionary(try partnerChoices().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        return PersonPage.References(
            name: { id, type in
                if type == "partner" { return partners[id] ?? "un partenaire retiré de l'annuaire" }
                guard let file = try? node.views.personFile(id) else { return "une fiche absente de cet ordinateur" }
                let field = { (name: String) in file.fields.value(of: name) }
                return Self.name(given: field("given_names"), family: field("family_name"))
            },
            link: { id in "/fiche/\(sessions.handle(of: id, in: cookie))" })
    }

    /// One list of the team's records of `type`, as the `registre` template shows it.
    private func register(_ type: String, _ cookie: String, devices: [String: String]) throws -> [String: Any] {
        let schema = try Schema.bundled.recordType(type)
        let names = try references(cookie)
        let records = try node.views.organisationRecords(type: type).map { record -> [String: Any] in
            let views = Dictionary(uniqueKeysWithValues: record.fields.map { ($0.name, $0) })
            let fields = schema.fields.compactMap {
                PersonPage.Field(
                    $0, views[$0.name], type: type, text: text, deviceNames: devices, names: names, settles: true)
            }
            let address = "/equipe-registre/\(sessions.handle(of: record.id, in: cookie))"
            var item: [String: Any] = ["champs": fields, "lien": address, "garder": address + "/garder"]
            item["intitule"] = fields.first?.value ?? "Sans nom"
            if record.damaged { item["illisible"] = true }
            if record.newer { item["recent"] = true }
            return item
        }
        var list: [String: Any] = [
            "titre": labels.linkedSections[type] ?? type, "nouveau": Self.newRecordTitle(type),
            "lienNouveau": "/equipe-registre/nouveau/\(type)", "enregistrements": records,
        ]
        if records.isEmpty { list["vide"] = true }
        return list
    }

    /// "12 actions, soit 150 personnes rencontrées et 96 entretiens": the seeds' own way of counting.
    private func activitySummary() throws -> String {
        var counts: [String: Int] = [:]
        let sessions = try node.views.organisationRecords(type: "collective_session")
        for record in sessions {
            for field in record.fields where ["persons_met", "interviews"].contains(field.name) {
                counts[field.name, default: 0] += field.values.first.flatMap { Int($0) } ?? 0
            }
        }
        return "\(Self.count(sessions.count, "action", "actions") ?? "Aucune action"), soit "
            + "\(Self.count(counts["persons_met"] ?? 0, "personne rencontrée", "personnes rencontrées") ?? "aucune personne rencontrée") et "
            + "\(Self.count(counts["interviews"] ?? 0, "entretien", "entretiens") ?? "aucun entretien")"
    }
}
