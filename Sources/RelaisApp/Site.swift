import Dispatch
import Foundation
import Hummingbird
import Mustache
import RelaisCore
import RelaisDaemon
import RelaisStore

/// The app's pages and forms. Every page but the login needs an unlocked session; every form
/// carries the session's CSRF token.
struct Site: Sendable {
    let node: LocalNode
    let unlockCheck: UnlockCheck
    let sessions: LoginSessions
    let templates: MustacheLibrary
    let labels: SchemaLabels
    let hosts: Set<String>
    let tasks: TodayTasks
    let syncNow: SyncNow
    /// The session cookie's name, with the app's port: browsers share cookies between the ports
    /// of one host, and two nodes' apps on one machine must not log each other out.
    let cookieName: String

    var text: FrenchText { FrenchText(labels: labels) }

    func register(on router: Router<BasicRequestContext>) {
        router.get("/connexion") { request, _ in loginPage(request) }
        router.post("/connexion") { request, context in try await login(request, context) }
        router.post("/verrouiller") { request, context in try await lock(request, context) }
        router.get("/") { request, _ in try await unlocked(request) { cookie, session in try await today(cookie, session) } }
        router.get("/rechercher") { request, _ in
            try await unlocked(request) { _, session in
                render("rechercher", ["jeton": session.csrf], title: "Rechercher une personne")
            }
        }
        router.post("/rechercher") { request, context in try await search(request, context, fragment: false) }
        router.post("/rechercher/resultats") { request, context in try await search(request, context, fragment: true) }
        router.get("/fiche/{handle}") { request, context in
            let handle = context.parameters.get("handle") ?? ""
            return try await unlocked(request) { cookie, session in try await personPage(handle, cookie, session) }
        }
        registerForms(on: router)
        registerDuplicates(on: router)
        registerHistory(on: router)
        registerTeam(on: router)
        registerTeamRecords(on: router)
        registerReport(on: router)
        router.post("/synchroniser") { request, context in
            guard let (_, session, _) = try await form(request, context), session.unlocked else {
                return Page.redirect(to: "/connexion")
            }
            syncNow.start()
            return Page.redirect(to: "/")
        }
        router.get("/synchroniser/etat") { request, _ in
            try await unlocked(request) { _, _ in
                let state = syncNow.current
                return Page.json(["enCours": state.running, "envoyees": state.sent, "recues": state.received])
            }
        }
        router.post("/fiche/{handle}/garder") { request, context in
            let handle = context.parameters.get("handle") ?? ""
            return try await keep(request, context) { cookie in
                let file = try file(handle, cookie)
                return (file.id, "person", file.fields, "/fiche/\(handle)")
            }
        }
        router.get("/assets/{name}") { _, context in Assets.response(context.parameters.get("name") ?? "") }
    }

    // MARK: Sessions

    private func cookie(_ request: Request) -> String? { request.cookies[cookieName]?.value }

    /// The session's cookie: never readable by scripts, never sent by another site's page, gone
    /// when the browser closes.
    private func sessionCookie(_ value: String) -> Cookie {
        Cookie(name: cookieName, value: value, path: "/", httpOnly: true, sameSite: .strict)
    }

    /// Runs `page` for an unlocked session; otherwise sends the browser to the login.
    func unlocked(_ request: Request, _ page: (String, LoginSessions.Session) async throws -> Response) async throws
        -> Response
    {
        guard let cookie = cookie(request), let session = sessions.session(cookie), session.unlocked else {
            return Page.redirect(to: "/connexion")
        }
        return try await page(cookie, session)
    }

    /// The fields of a form, once its CSRF token is the session's.
    func form(_ request: Request, _ context: BasicRequestContext) async throws -> (
        String, LoginSessions.Session, [String: String]
    )? {
        guard let cookie = cookie(request), let session = sessions.session(cookie) else { return nil }
        let body = try await request.body.collect(upTo: Limits.formBytesMax)
        let fields = (try? URLEncodedFormDecoder().decode([String: String].self, from: String(buffer: body))) ?? [:]
        guard let token = fields["jeton"], Self.sameToken(token, session.csrf) else { return nil }
        return (cookie, session, fields)
    }

    private static func sameToken(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && zip(a.utf8, b.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func loginPage(_ request: Request, error: String? = nil) -> Response {
        var values: [String: Any] = [:]
        // Mustache shows a section for any value present, an empty text included.
        if let error { values["erreur"] = error }
        if let cookie = cookie(request), let session = sessions.session(cookie) {
            if session.unlocked { return Page.redirect(to: "/") }
            values["jeton"] = session.csrf
            return render("connexion", values, title: "Connexion", chrome: false)
        }
        let cookie = sessions.open()
        values["jeton"] = sessions.session(cookie)?.csrf ?? ""
        var response = render("connexion", values, title: "Connexion", chrome: false)
        response.setCookie(sessionCookie(cookie))
        return response
    }

    private func login(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard let (cookie, _, fields) = try await form(request, context) else {
            return Page.redirect(to: "/connexion")
        }
        var bytes = Array((fields["phrase"] ?? "").utf8)
        guard let unlock = try? KeyringUnlock.passphrase(&bytes) else {
            return loginPage(request, error: "Saisissez la phrase de passe de cet ordinateur.")
        }
        if let wait = sessions.beginAttempt() {
            return loginPage(request, error: "Trop d'essais. Réessayez dans \(Int(wait.components.seconds) + 1) secondes.")
        }
        // Argon2id takes a fraction of a second and 64 MiB: off the server's threads.
        let check = unlockCheck
        let accepted = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: check.accepts(unlock)) }
        }
        sessions.endAttempt(accepted: accepted)
        guard accepted else { return loginPage(request, error: "Phrase de passe incorrecte.") }
        return Page.redirect(to: "/", cookie: sessionCookie(sessions.unlock(cookie)))
    }

    private func lock(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        if let (cookie, _, _) = try await form(request, context) { sessions.close(cookie) }
        return Page.redirect(to: "/connexion")
    }

    // MARK: Pages

    private func today(_ cookie: String, _ session: LoginSessions.Session) async throws -> Response {
        let status = try await node.status()
        // A conflict in a visit, referral or appointment shows on its person's page too.
        // The team's records (a partner's phone typed two ways) are settled on their list.
        var conflicted: [String: [String]] = [:]
        var teamConflicts: [String: [String]] = [:]
        for conflict in try node.views.conflicts() {
            let label = text.label(field: conflict.field, of: conflict.type)
            if conflict.type == "person" {
                conflicted[conflict.record, default: []].append(label)
            } else if Schema.bundled.organisationTypes.contains(where: { $0.name == conflict.type }) {
                teamConflicts[conflict.type, default: []].append(label)
            }
        }
        let conflictItems =
            try conflicted.map { person, fields -> [String: Any] in
                [
                    "lien": "/fiche/\(sessions.handle(of: person, in: cookie))", "nom": try displayName(person),
                    "champs": fields.joined(separator: ", "),
                ]
            }.sorted { ($0["nom"] as? String ?? "") < ($1["nom"] as? String ?? "") }
            + teamConflicts.sorted { $0.key < $1.key }.map { type, fields -> [String: Any] in
                [
                    "lien": Self.listAddress(of: type), "nom": labels.linkedSections[type] ?? type,
                    "champs": Array(Set(fields)).sorted().joined(separator: ", "),
                ]
            }
        let devices = await devicesByShortID()
        // One line per device: one this laptop called and that called it back has two rows.
        let peers = Dictionary(grouping: status.peers) { $0.device ?? $0.address }.values.map { rows -> [String: Any] in
            let device = rows[0].device.flatMap { devices[String($0.prefix(8))] }
            var item: [String: Any] = [
                "nom": device.map { $0.role == "hub" ? "le hub" : $0.name } ?? "un autre appareil",
                "succes": rows.compactMap(\.lastSuccess).max(by: FrenchText.isEarlier).map { FrenchText.since($0) } ?? "jamais",
            ]
            if rows.max(by: { FrenchText.isEarlier($0.lastAttempt, $1.lastAttempt) })?.lastError.isEmpty == false {
                item["erreur"] = "La dernière tentative a échoué : l'appareil n'était pas joignable."
            }
            return item
        }.sorted { ($0["nom"] as? String ?? "") < ($1["nom"] as? String ?? "") }
        let sync = syncNow.current
        var values: [String: Any] = [
            "enCours": sync.running, "echec": sync.failed,
            "jeton": session.csrf, "conflits": conflictItems, "aucunConflit": conflictItems.isEmpty, "pairs": peers,
            "aucunPair": peers.isEmpty, "appareil": status.name,
        ]
        if let computed = tasks.current {
            values["echeances"] = [
                ("Droits qui arrivent à échéance", computed.rights), ("Rendez-vous à venir", computed.appointments),
                ("Orientations sans nouvelles", computed.referrals), ("Suites prévues", computed.followUps),
                ("Fiches pas encore complètes", computed.incomplete),
            ].filter { !$0.1.isEmpty }.map { title, list -> [String: Any] in
                // The soonest first, a screenful each: the rest when those are done.
                let items = list.prefix(Limits.tasksShown).map { task -> [String: Any] in
                    ["lien": "/fiche/\(sessions.handle(of: task.person, in: cookie))", "nom": task.name, "quoi": task.what]
                }
                var section: [String: Any] = ["titre": title, "taches": items]
                if list.count > Limits.tasksShown {
                    section["autres"] = "et \(list.count - Limits.tasksShown) autres après celles-ci"
                }
                return section
            }
        } else {
            values["calcul"] = true
        }
        if let outcome = sync.outcome, !sync.running { values["resultat"] = outcome }
        if let count = tasks.current.flatMap({ Self.count($0.duplicates.count, "doublon probable", "doublons probables") }) {
            values["doublons"] = count
        }
        return render("aujourdhui", values, title: "Aujourd'hui")
    }

    private func search(_ request: Request, _ context: BasicRequestContext, fragment: Bool) async throws -> Response {
        guard let (cookie, session, fields) = try await form(request, context), session.unlocked else {
            return fragment ? Page.plain(status: .unauthorized, "Session verrouillée.") : Page.redirect(to: "/connexion")
        }
        let query = (fields["q"] ?? "").trimmingCharacters(in: .whitespaces)
        let shown = max(Limits.searchPage, Int(fields["montrer"] ?? "") ?? Limits.searchPage)
        var values: [String: Any] = ["jeton": session.csrf, "q": query]
        if !query.isEmpty {
            do {
                let found = try node.views.searchPersons(query)
                values["resultats"] = found.prefix(shown).map { person -> [String: Any] in
                    var item: [String: Any] = [
                        "lien": "/fiche/\(sessions.handle(of: person.id, in: cookie))",
                        "nom": Self.name(given: person.givenNames, family: person.familyName),
                        "conflit": person.inConflict, "illisible": person.damaged,
                    ]
                    if let birth = person.birthDate { item["naissance"] = FrenchText.date(birth) }
                    return item
                }
                values["aucun"] = found.isEmpty
                values["compte"] = found.count == 1 ? "1 personne trouvée" : "\(found.count) personnes trouvées"
                if found.count > shown { values["plus"] = shown + Limits.searchPage }
            } catch {
                // The only refusal of a query: it holds no letter or digit.
                guard case .invalidWrite = error else { throw error }
                values["erreur"] = "Saisissez au moins une lettre ou un chiffre du nom."
            }
        }
        if fragment, let html = templates.render(values, withTemplate: "resultats") { return Page.html(html) }
        return render("rechercher", values, title: "Rechercher une personne")
    }

    private func personPage(_ handle: String, _ cookie: String, _ session: LoginSessions.Session) async throws -> Response {
        let file = try self.file(handle, cookie)
        let page = try PersonPage(
            file: file, schema: .bundled, text: text, deviceNames: await devicesByShortID().mapValues(\.name),
            names: try references(cookie), handle: { sessions.handle(of: $0, in: cookie) })
        // The name stays out of the window title: the browser keeps titles in its history, on disk.
        return render(
            "fiche",
            [
                "jeton": session.csrf, "fiche": page, "handle": handle, "garder": "/fiche/\(handle)/garder",
                "historique": "/fiche/\(handle)/historique",
            ], title: "Fiche d'une personne")
    }

    /// The file `handle` names in this session.
    /// - Throws: `PageInstead` with the page saying why it cannot be shown.
    func file(_ handle: String, _ cookie: String) throws -> PersonFile {
        guard let record = sessions.record(handle, in: cookie) else {
            throw PageInstead(
                render(
                    "erreur", ["message": "Cette fiche n'est plus ouverte : recherchez la personne à nouveau."], title: "Fiche",
                    status: .notFound))
        }
        do {
            return try node.views.personFile(record)
        } catch {
            guard case .erased = error else { throw error }
            throw PageInstead(
                render(
                    "erreur", ["message": "Cette fiche a été effacée à la demande de la personne."], title: "Fiche", status: .gone
                ))
        }
    }

    /// The section of a person's file the address names.
    func section(_ code: String, of handle: String) throws -> SchemaLabels.Section {
        // A section whose fields are all deprecated has no form: its facts are written elsewhere now.
        guard let section = labels.sections.first(where: { $0.code == code }),
            try !EditForm.fields(of: section, schema: .bundled, labels: labels).isEmpty
        else {
            throw PageInstead(Page.redirect(to: "/fiche/\(handle)"))
        }
        return section
    }

    /// "Garder cette valeur": the value chosen among a field's competing ones becomes its only one,
    /// on a person's file or on a record of the team (`find` names it: id, type, fields, page).
    func keep(
        _ request: Request, _ context: BasicRequestContext,
        find: (String) throws -> (id: String, type: String, fields: [FieldView], back: String)
    ) async throws -> Response {
        guard let (cookie, session, fields) = try await form(request, context), session.unlocked else {
            return Page.redirect(to: "/connexion")
        }
        // The record is read again: what the button showed may have been settled elsewhere since.
        let record = try find(cookie)
        if let name = fields["champ"], let index = fields["choix"].flatMap(Int.init),
            let view = record.fields.first(where: { $0.name == name }), view.inConflict, view.candidates.indices.contains(index)
        {
            let field = try Schema.bundled.recordType(record.type).field(name)
            let values = try view.candidates[index].value.map { text throws(SchemaError) in try field.parse(text) }
            try await node.resolveConflict(record: record.id, FieldAssignment(name, values))
        }
        return Page.redirect(to: record.back)
    }

    // MARK: Helpers

    private func displayName(_ person: String) throws -> String { Self.name(of: try node.views.personFile(person)) }

    static func name(of file: PersonFile) -> String {
        func value(_ name: String) -> String? { file.fields.value(of: name) }
        return name(given: value("given_names"), family: value("family_name"))
    }

    /// "1 doublon probable", "3 doublons probables"; nil for none, so that the page says nothing
    /// (a template shows a section for any value present).
    static func count(_ number: Int, _ one: String, _ many: String) -> String? {
        number == 0 ? nil : "\(number) \(number == 1 ? one : many)"
    }

    /// How a person is named on every page: given names, then family name.
    static func name(given: String?, family: String?) -> String {
        let names = [given, family].compactMap { $0 }
        return names.isEmpty ? "Personne sans nom" : names.joined(separator: " ")
    }

    /// The team's devices by the short form of their id (its first 8 digits), which values and
    /// peers carry; none before the device joins a team.
    func devicesByShortID() async -> [String: DeviceListing] {
        Dictionary(((try? await node.devices()) ?? []).map { (String($0.device.prefix(8)), $0) }) { first, _ in first }
    }

    func render(
        _ template: String, _ values: [String: Any], title: String, chrome: Bool = true, status: HTTPResponse.Status = .ok
    ) -> Response {
        var values = values
        values["titre"] = title
        values["menu"] = chrome
        guard let html = templates.render(values, withTemplate: template) else {
            preconditionFailure("the app's template \(template) is missing from the build")
        }
        return Page.html(html, status: status)
    }
}
