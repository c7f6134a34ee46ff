import Foundation
import Hummingbird
import RelaisCore
import RelaisDaemon
import RelaisStore

/// The forms that write: a section of a person's file, a new person, a new visit, referral or
/// appointment, and one written before. Each is shown from the schema (`EditForm`), and on a
/// refused value shown again with the reason beside the field and nothing written.
extension Site {
    /// What a form writes.
    enum FormTarget {
        case section(PersonFile, SchemaLabels.Section)
        case newPerson
        case newRecord(PersonFile, type: String)
        case record(PersonFile, RecordView)
        /// A record of the whole team: a partner of the directory, a collective session, a request.
        case newTeamRecord(type: String)
        case teamRecord(RecordView)

        var type: String {
            switch self {
            case .section, .newPerson: "person"
            case .newRecord(_, let type), .newTeamRecord(let type): type
            case .record(_, let record), .teamRecord(let record): record.type
            }
        }

        var views: [String: FieldView] {
            switch self {
            case .section(let file, _): Dictionary(uniqueKeysWithValues: file.fields.map { ($0.name, $0) })
            case .record(_, let record), .teamRecord(let record):
                Dictionary(uniqueKeysWithValues: record.fields.map { ($0.name, $0) })
            case .newPerson, .newRecord, .newTeamRecord: [:]
            }
        }

        /// A new record of a type with a date.
        var isNewDated: Bool {
            switch self {
            case .newRecord, .newTeamRecord:
                Schema.bundled.recordTypes.first { $0.name == type }?.fields.contains { $0.name == "date" } ?? false
            case .section, .newPerson, .record, .teamRecord: false
            }
        }

        func fields(_ labels: SchemaLabels) throws(SchemaError) -> [FieldSchema] {
            switch self {
            case .section(_, let section): try EditForm.fields(of: section, schema: .bundled, labels: labels)
            case .newPerson: try EditForm.fields(of: labels.sections[0], schema: .bundled, labels: labels)
            case .newRecord, .newTeamRecord: try EditForm.fields(of: type, schema: .bundled, new: true)
            case .record, .teamRecord: try EditForm.fields(of: type, schema: .bundled, new: false)
            }
        }
    }

    func registerForms(on router: Router<BasicRequestContext>) {
        formRoutes("/nouvelle-personne", on: router) { _, _ in ("/nouvelle-personne", "/", .newPerson) }
        formRoutes("/fiche/{handle}/modifier/{section}", on: router, target: sectionTarget)
        formRoutes("/fiche/{handle}/nouveau/{type}", on: router, target: newRecordTarget)
        formRoutes("/fiche/{handle}/enregistrement/{record}", on: router, target: recordTarget)
        formRoutes("/equipe-registre/nouveau/{type}", on: router, target: newTeamRecordTarget)
        formRoutes("/equipe-registre/{record}", on: router, target: teamRecordTarget)
    }

    /// A form's page (GET) and its submission (POST) at `path`, for the record `target` finds
    /// from the address and the session's cookie: the form's address, where to go back, what it writes.
    private func formRoutes(
        _ path: RouterPath, on router: Router<BasicRequestContext>,
        target: @escaping @Sendable (BasicRequestContext, String) throws -> (String, String, FormTarget)
    ) {
        router.get(path) { request, context in
            try await unlocked(request) { cookie, session in
                let (path, back, found) = try target(context, cookie)
                return try formPage(found, at: path, back: back, session)
            }
        }
        router.post(path) { request, context in try await submit(request, context) { cookie in try target(context, cookie) } }
    }

    private func sectionTarget(_ context: BasicRequestContext, _ cookie: String) throws -> (String, String, FormTarget) {
        let handle = context.parameters.get("handle") ?? ""
        let code = context.parameters.get("section") ?? ""
        let target = FormTarget.section(try file(handle, cookie), try section(code, of: handle))
        return ("/fiche/\(handle)/modifier/\(code)", "/fiche/\(handle)", target)
    }

    private func newRecordTarget(_ context: BasicRequestContext, _ cookie: String) throws -> (String, String, FormTarget) {
        let handle = context.parameters.get("handle") ?? ""
        let type = context.parameters.get("type") ?? ""
        guard Schema.bundled.recordTypes.contains(where: { $0.name == type && $0.linkedTo == "person" }) else {
            throw PageInstead(Page.redirect(to: "/fiche/\(handle)"))
        }
        return ("/fiche/\(handle)/nouveau/\(type)", "/fiche/\(handle)", .newRecord(try file(handle, cookie), type: type))
    }

    private func newTeamRecordTarget(_ context: BasicRequestContext, _ cookie: String) throws -> (String, String, FormTarget) {
        let type = context.parameters.get("type") ?? ""
        guard Schema.bundled.organisationTypes.contains(where: { $0.name == type }) else {
            throw PageInstead(Page.redirect(to: "/annuaire"))
        }
        return ("/equipe-registre/nouveau/\(type)", Self.listAddress(of: type), .newTeamRecord(type: type))
    }

    private func teamRecordTarget(_ context: BasicRequestContext, _ cookie: String) throws -> (String, String, FormTarget) {
        let recordHandle = context.parameters.get("record") ?? ""
        let record = try teamRecord(recordHandle, cookie)
        return ("/equipe-registre/\(recordHandle)", Self.listAddress(of: record.type), .teamRecord(record))
    }

    private func recordTarget(_ context: BasicRequestContext, _ cookie: String) throws -> (String, String, FormTarget) {
        let handle = context.parameters.get("handle") ?? ""
        let recordHandle = context.parameters.get("record") ?? ""
        let file = try file(handle, cookie)
        guard let id = sessions.record(recordHandle, in: cookie), let record = file.linked.first(where: { $0.id == id }) else {
            throw PageInstead(Page.redirect(to: "/fiche/\(handle)"))
        }
        return ("/fiche/\(handle)/enregistrement/\(recordHandle)", "/fiche/\(handle)", .record(file, record))
    }

    private func formPage(
        _ target: FormTarget, at path: String, back: String, _ session: LoginSessions.Session, submitted: [String: String]? = nil,
        errors: [String: String] = [:], persons: [(id: String, name: String)] = []
    ) throws -> Response {
        var submitted = submitted
        // A visit, a referral, an appointment or a permanence is most often written the day it happens.
        if target.isNewDated, submitted == nil { submitted = ["date": FrenchText.today()] }
        let fields = try target.fields(labels)
        let form = EditForm(
            type: target.type, fields: fields, views: target.views, labels: labels, submitted: submitted, errors: errors,
            partners: fields.contains { $0.target == "partner" } ? try partnerChoices() : [], persons: persons)
        var values: [String: Any] = ["jeton": session.csrf, "formulaire": form, "action": path, "retour": back]
        values["intitule"] =
            switch target {
            case .section(let file, let section): "\(Self.name(of: file)) — \(section.label)"
            case .newPerson: "Nouvelle personne"
            case .newRecord(let file, let type): "\(Self.name(of: file)) — \(Self.newRecordTitle(type))"
            case .record(let file, let record): "\(Self.name(of: file)) — \(labels.recordTypes[record.type] ?? record.type)"
            case .newTeamRecord(let type): Self.newRecordTitle(type)
            case .teamRecord(let record): labels.recordTypes[record.type] ?? record.type
            }
        if !errors.isEmpty { values["refus"] = true }
        // The window's title names no one: browsers keep titles in their history, on disk.
        let title =
            switch target {
            case .newPerson: "Nouvelle personne"
            case .newRecord(_, let type), .newTeamRecord(let type): Self.newRecordTitle(type)
            case .section, .record: "Modifier la fiche"
            case .teamRecord(let record): "Modifier : \(labels.recordTypes[record.type] ?? record.type)"
            }
        return render("modifier", values, title: title, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    /// Writes what a form sent to the record `target` names; on a refused value, the form again.
    private func submit(
        _ request: Request, _ context: BasicRequestContext, target find: (String) throws -> (String, String, FormTarget)
    ) async throws -> Response {
        guard let (cookie, session, fields) = try await form(request, context), session.unlocked else {
            return Page.redirect(to: "/connexion")
        }
        let (path, back, target) = try find(cookie)
        let (resolved, named, persons) = try namePersons(in: fields, target: target, cookie)
        var (assignments, errors) = EditForm.changes(resolved, fields: try target.fields(labels), views: target.views)
        errors.merge(named) { _, naming in naming }
        if case .newRecord(_, "household_link") = target, !assignments.contains(where: { $0.field == "other" }) {
            errors["other"] = errors["other"] ?? "Saisissez le nom de l'autre personne."
        }
        if case .newPerson = target, !assignments.contains(where: { ["family_name", "given_names"].contains($0.field) }) {
            errors["family_name"] = errors["family_name"] ?? "Saisissez au moins un nom ou un prénom."
        }
        guard errors.isEmpty else {
            return try formPage(target, at: path, back: back, session, submitted: fields, errors: errors, persons: persons)
        }
        switch target {
        case .section(let file, _):
            if !assignments.isEmpty { try await node.updatePerson(file.id, assignments) }
        case .newPerson:
            let person = try await node.addPerson(assignments)
            return Page.redirect(to: "/fiche/\(sessions.handle(of: person.hex, in: cookie))")
        case .newRecord(let file, let type):
            guard !assignments.isEmpty else {
                let first = try target.fields(labels).first?.name ?? "date"
                let message = first == "date" ? "Saisissez au moins la date." : "Remplissez au moins un champ."
                return try formPage(target, at: path, back: back, session, submitted: fields, errors: [first: message])
            }
            _ = try await node.addLinkedRecord(type: type, person: file.id, assignments)
        case .record(_, let record):
            if !assignments.isEmpty { try await node.updateLinkedRecord(record.id, type: record.type, assignments) }
        case .newTeamRecord(let type):
            let required = type == "partner" ? "name" : "date"
            guard assignments.contains(where: { $0.field == required }) else {
                let message = type == "partner" ? "Saisissez au moins le nom." : "Saisissez au moins la date."
                return try formPage(target, at: path, back: back, session, submitted: fields, errors: [required: message])
            }
            _ = try await node.addOrganisationRecord(type: type, assignments)
        case .teamRecord(let record):
            if !assignments.isEmpty { try await node.updateOrganisationRecord(record.id, type: record.type, assignments) }
        }
        return Page.redirect(to: back)
    }

    /// The persons a form names by a typed name (a household link's other person, a request's
    /// person), replaced by their ids; or the reason by field, with the files to choose from when
    /// several bear the name. A choice posts the file's handle in this session, never its id.
    private func namePersons(in form: [String: String], target: FormTarget, _ cookie: String) throws -> (
        [String: String], errors: [String: String], persons: [(id: String, name: String)]
    ) {
        var form = form
        var errors: [String: String] = [:]
        var choices: [(id: String, name: String)] = []
        let own: String? = if case .newRecord(let file, _) = target { file.id } else { nil }
        for field in try target.fields(labels) where field.kind == .reference && field.target == "person" {
            let typed = (form[field.name] ?? "").trimmingCharacters(in: .whitespaces)
            guard !typed.isEmpty else { continue }
            if let chosen = sessions.record(typed, in: cookie) {
                form[field.name] = chosen
                continue
            }
            let found = ((try? node.views.searchPersons(typed)) ?? []).filter { $0.id != own && !$0.damaged }
            if found.count == 1 {
                form[field.name] = found[0].id
            } else if found.isEmpty {
                errors[field.name] = "Aucune fiche ne porte ce nom sur cet ordinateur."
            } else {
                errors[field.name] = "Plusieurs fiches portent ce nom : choisissez la bonne."
                choices = found.prefix(Limits.searchPage).map { person in
                    let born = person.birthDate.map { " — naissance en \($0.prefix(4))" } ?? ""
                    return (
                        sessions.handle(of: person.id, in: cookie),
                        Self.name(given: person.givenNames, family: person.familyName) + born
                    )
                }
            }
        }
        return (form, errors, choices)
    }

    static func newRecordTitle(_ type: String) -> String {
        switch type {
        case "visit": "Nouvelle visite"
        case "referral": "Nouvelle orientation"
        case "appointment": "Nouveau rendez-vous"
        case "rights_episode": "Nouveau droit"
        case "programme_episode": "Nouvelle période d'accompagnement"
        case "household_link": "Nouveau lien familial"
        case "consent_share": "Nouveau partage"
        case "disclosure": "Nouvelle communication"
        case "partner": "Nouveau partenaire"
        case "collective_session": "Nouvelle action collective"
        case "professional_request": "Nouvelle sollicitation"
        default: type
        }
    }
}
