import Foundation
import Hummingbird
import Logging
import RelaisCore
import RelaisDaemon
import RelaisStore

/// Équipe, on the admin node: the team's devices, an invitation for a new one, revoking a lost
/// one, its care teams, a new team key.
extension Site {
    /// An invitation code in groups of four, to be read out and typed back (`join` ignores blanks).
    static func readAloud(_ token: String) -> String {
        token.split(separator: "-").map { part in
            stride(from: 0, to: part.count, by: 4).map { String(part.dropFirst($0).prefix(4)) }.joined(separator: " ")
        }.joined(separator: " - ")
    }

    func registerTeam(on router: Router<BasicRequestContext>) {
        router.get("/equipe") { request, _ in try await unlocked(request) { _, session in try await teamPage(session) } }
        router.post("/equipe/inviter") { request, context in
            try await teamAction(request, context) { fields in
                let name = (fields["nom"] ?? "").trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty else { return .refused("Donnez un nom à l'appareil (par exemple portable-marie).") }
                let token = try await node.createInvite(
                    role: fields["role"] == "hub" ? .hub : .field, name: name, validFor: Limits.invitationValidity)
                return .page(
                    render(
                        "invitation", ["jeton": fields["jeton"] ?? "", "nom": name, "code": Self.readAloud(token)],
                        title: "Code d'invitation"))
            }
        }
        router.post("/equipe/revoquer") { request, context in
            try await teamAction(request, context) { fields in
                // Each device's box has its own name: one confirmation cannot revoke another device.
                guard let device = fields["appareil"], fields["confirmation-\(device)"] == "oui" else {
                    return .refused("Cochez la case pour confirmer la révocation.")
                }
                try await node.revokeDevice(device)
                return .done(
                    "L'appareil a été révoqué : il ne pourra plus se synchroniser, et ses données seront illisibles après le renouvellement de la clé."
                )
            }
        }
        router.post("/equipe/equipes-de-soin") { request, context in
            try await teamAction(request, context) { fields in
                guard let device = fields["appareil"] else { return .refused("Appareil inconnu.") }
                let names = (fields["equipes"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }
                guard let teams = try? Set(names.map { name throws(DecodingError) in try CareTeam(name) }) else {
                    return .refused("Un nom d'équipe de soin n'est pas valable : des lettres, des chiffres et des tirets.")
                }
                try await node.assignCareTeams(device, teams)
                return .done("Les équipes de soin de l'appareil sont enregistrées.")
            }
        }
        router.post("/equipe/nouvelle-cle") { request, context in
            try await teamAction(request, context) { _ in
                try await node.rotateTeamKey()
                return .done("La clé de l'équipe a été renouvelée : chaque appareil la reçoit à sa prochaine synchronisation.")
            }
        }
    }

    enum TeamOutcome {
        case done(String)
        case refused(String)
        case page(Response)
    }

    private func teamAction(
        _ request: Request, _ context: BasicRequestContext, _ act: ([String: String]) async throws -> TeamOutcome
    ) async throws -> Response {
        guard let (_, session, fields) = try await form(request, context), session.unlocked else {
            return Page.redirect(to: "/connexion")
        }
        do {
            switch try await act(fields) {
            case .page(let page): return page
            case .done(let message): return try await teamPage(session, message: message)
            case .refused(let message): return try await teamPage(session, error: message)
            }
        } catch let error as StoreError {
            context.logger.warning("app: team action refused: \(error)")
            return try await teamPage(
                session,
                error:
                    "Action refusée : seul l'ordinateur administrateur de l'équipe peut la faire, et l'appareil doit en faire partie."
            )
        }
    }

    private func teamPage(_ session: LoginSessions.Session, message: String? = nil, error: String? = nil) async throws -> Response
    {
        let peers = (try? await node.status().peers) ?? []
        let devices = ((try? await node.devices()) ?? []).map { device -> [String: Any] in
            // Whichever of the two called: a hub is called by the laptops, and calls none of them.
            let lastSync = peers.filter { peer in peer.device.map { device.device.hasPrefix($0) } ?? false }
                .compactMap(\.lastSuccess).max(by: FrenchText.isEarlier)
            var item: [String: Any] = [
                "synchro": lastSync.map { FrenchText.since($0) } ?? "jamais",
                "id": device.device, "nom": device.name, "role": device.role == "hub" ? "Hub" : "Portable de terrain",
                "expire": FrenchText.moment(device.expiresAt).components(separatedBy: " à ").first ?? "",
                "ceci": device.isThisDevice,
            ]
            // Absent, not empty, for the whole organisation: a template shows a section for any text.
            if !device.careTeams.isEmpty { item["equipes"] = device.careTeams.joined(separator: ", ") }
            if let revoked = device.revokedAt { item["revoque"] = FrenchText.moment(revoked) }
            return item
        }
        var values: [String: Any] = ["jeton": session.csrf, "appareils": devices, "admin": await node.isAdminNode]
        if let message { values["message"] = message }
        if let error { values["erreur"] = error }
        return render("equipe", values, title: "Équipe", status: error == nil ? .ok : .unprocessableContent)
    }
}
