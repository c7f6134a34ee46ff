import Foundation
import Hummingbird
import RelaisCore
import RelaisDaemon
import RelaisStore

/// Probable duplicates side by side, their merge and its undoing, and the erasure of a file at
/// the person's request.
extension Site {
    func registerDuplicates(on router: Router<BasicRequestContext>) {
        router.get("/doublons") { request, _ in
            try await unlocked(request) { cookie, session in
                // Listing every person takes seconds: the pairs come from the day's tasks, kept up to date in the background.
                guard let computed = tasks.current else {
                    return render("doublons", ["jeton": session.csrf, "calcul": true], title: "Doublons probables")
                }
                let pairs = computed.duplicates.map { pair -> [String: Any] in
                    [
                        "lien":
                            "/doublons/\(sessions.handle(of: pair.first.id, in: cookie))/\(sessions.handle(of: pair.second.id, in: cookie))",
                        "noms": [pair.first, pair.second].map { Self.name(given: $0.givenNames, family: $0.familyName) }
                            .joined(separator: " et "),
                        "raison": pair.reason == .name ? "même nom" : "même numéro de téléphone",
                    ]
                }
                return render(
                    "doublons", ["jeton": session.csrf, "paires": pairs, "aucune": pairs.isEmpty], title: "Doublons probables")
            }
        }
        router.get("/doublons/{first}/{second}") { request, context in
            try await unlocked(request) { cookie, session in
                let handles = [context.parameters.get("first") ?? "", context.parameters.get("second") ?? ""]
                // Merged since the list was made: both names now lead to one file.
                if try file(handles[0], cookie).id == file(handles[1], cookie).id { return Page.redirect(to: "/doublons") }
                let names = await devicesByShortID().mapValues(\.name)
                let references = try references(cookie)
                let columns = try handles.enumerated().map { index, handle -> [String: Any] in
                    let page = try PersonPage(
                        file: try file(handle, cookie), schema: .bundled, text: text, deviceNames: names,
                        names: references, handle: { sessions.handle(of: $0, in: cookie) })
                    return ["fiche": page, "garder": handle, "doublon": handles[1 - index]]
                }
                return render("comparer", ["jeton": session.csrf, "colonnes": columns], title: "Comparer deux fiches")
            }
        }
        router.post("/doublons/fusionner") { request, context in
            guard let (cookie, session, fields) = try await form(request, context), session.unlocked,
                let keep = fields["garder"], let duplicate = fields["doublon"]
            else { return Page.redirect(to: "/connexion") }
            let kept = try file(keep, cookie)
            try await node.merge(keep: kept.id, duplicate: try file(duplicate, cookie).id)
            return Page.redirect(to: "/fiche/\(keep)")
        }
        router.post("/fiche/{handle}/defusionner") { request, context in
            guard let (cookie, session, fields) = try await form(request, context), session.unlocked else {
                return Page.redirect(to: "/connexion")
            }
            let handle = context.parameters.get("handle") ?? ""
            if let duplicate = fields["doublon"].flatMap({ sessions.record($0, in: cookie) }),
                try file(handle, cookie).mergedFrom.contains(duplicate)
            {
                try await node.unmerge(duplicate)
            }
            return Page.redirect(to: "/fiche/\(handle)")
        }
        router.get("/fiche/{handle}/effacer") { request, context in
            try await unlocked(request) { cookie, session in
                let handle = context.parameters.get("handle") ?? ""
                let file = try file(handle, cookie)
                return render(
                    "effacer", ["jeton": session.csrf, "handle": handle, "nom": Self.name(of: file)], title: "Effacer une fiche")
            }
        }
        router.post("/fiche/{handle}/effacer") { request, context in
            guard let (cookie, session, fields) = try await form(request, context), session.unlocked else {
                return Page.redirect(to: "/connexion")
            }
            let handle = context.parameters.get("handle") ?? ""
            let file = try file(handle, cookie)
            guard fields["confirmation"]?.trimmingCharacters(in: .whitespaces).uppercased() == "EFFACER" else {
                return render(
                    "effacer",
                    [
                        "jeton": session.csrf, "handle": handle, "nom": Self.name(of: file),
                        "erreur": "Tapez EFFACER dans la case pour confirmer : rien n'a été effacé.",
                    ], title: "Effacer une fiche", status: .unprocessableContent)
            }
            try await node.erase(file.id)
            return render(
                "erreur",
                [
                    "message":
                        "La fiche a été effacée sur cet ordinateur ; elle le sera sur les autres à leur prochaine synchronisation."
                ], title: "Fiche effacée")
        }
    }
}
