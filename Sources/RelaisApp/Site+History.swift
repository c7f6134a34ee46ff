import Hummingbird
import RelaisCore
import RelaisDaemon
import RelaisStore

/// The history of a person's file, or of one of its fields: who changed what, when, newest first.
extension Site {
    func registerHistory(on router: Router<BasicRequestContext>) {
        router.get("/fiche/{handle}/historique") { request, context in
            try await unlocked(request) { cookie, session in try await history(context, cookie, session, field: nil) }
        }
        router.get("/fiche/{handle}/historique/{field}") { request, context in
            try await unlocked(request) { cookie, session in
                try await history(context, cookie, session, field: context.parameters.get("field"))
            }
        }
    }

    private func history(_ context: BasicRequestContext, _ cookie: String, _ session: LoginSessions.Session, field: String?)
        async throws -> Response
    {
        let handle = context.parameters.get("handle") ?? ""
        let file = try file(handle, cookie)
        let person = try Schema.bundled.recordType("person")
        let names = await devicesByShortID().mapValues(\.name)
        let entries = try node.views.history(of: file.id).reversed().filter { field == nil || $0.field == field }.map {
            entry -> [String: Any] in
            let schema = entry.field.flatMap { try? person.field($0) }
            let label = entry.field.map { "« \(text.label(field: $0, of: "person")) »" }
            var value = entry.value
            if let raw = entry.value, let schema { value = text.value(raw, field: schema, type: "person") }
            var what =
                switch entry.action {
                case "created": "a créé la fiche"
                case "set": "a saisi \(label ?? "")\(value.map { " : \($0)" } ?? "")"
                case "cleared": "a vidé \(label ?? "")"
                case "added": "a ajouté à \(label ?? "")\(value.map { " : \($0)" } ?? "")"
                case "removed": "a retiré de \(label ?? "")\(value.map { " : \($0)" } ?? "")"
                case "deleted": "a supprimé l'enregistrement"
                case "merged into": "a fusionné cette fiche avec une autre"
                case "unmerged": "a annulé une fusion"
                default: entry.action
                }
            if !entry.isSignatureValid { what += " (auteur non vérifié : modification suspecte)" }
            return ["quand": FrenchText.moment(entry.writtenAt), "qui": names[entry.device] ?? "un autre appareil", "quoi": what]
        }
        var values: [String: Any] = ["jeton": session.csrf, "handle": handle, "nom": Self.name(of: file), "entrees": entries]
        if let field { values["champ"] = labels.label(field: field, of: "person") }
        if entries.isEmpty { values["vide"] = true }
        return render("historique", values, title: "Historique d'une fiche")
    }
}
