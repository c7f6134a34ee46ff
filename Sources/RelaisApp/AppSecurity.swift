import HTTPTypes
import Hummingbird
import Logging

/// What every response of the app carries, and what every request must: patient data on a shared
/// laptop must not reach the disk through the browser's cache, nor another site through the
/// browser (DNS rebinding: a page elsewhere resolving its own name to 127.0.0.1).
struct AppSecurity<Context: RequestContext>: RouterMiddleware {
    let hosts: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        guard let host = request.head.authority, hosts.contains(host.lowercased()) else {
            return Self.secured(
                Page.plain(status: .misdirectedRequest, "Adresse refusée : ouvrez l'application par son adresse locale."))
        }
        // A form sent from another site's page: the CSRF token would refuse it too.
        if let origin = request.headers[.origin], !hosts.contains(where: { origin == "http://\($0)" }) {
            return Self.secured(Page.plain(status: .forbidden, "Formulaire refusé : il ne vient pas de l'application."))
        }
        do {
            return Self.secured(try await next(request, context))
        } catch let error as PageInstead {
            return Self.secured(error.page)
        } catch let error as any HTTPResponseError {
            return Self.secured(try error.response(from: request, context: context))
        } catch {
            // Never a stack or a store message in the browser: the log has what happened.
            context.logger.error("app: \(request.method) \(request.uri.path) failed: \(error)")
            return Self.secured(
                Page.plain(
                    status: .internalServerError,
                    "Une erreur est survenue : rien n'a été perdu. Rechargez la page ou verrouillez puis rouvrez l'application."))
        }
    }

    static func secured(_ response: Response) -> Response {
        var response = response
        response.headers[.cacheControl] = "no-store"
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        // Same-origin only: with no-referrer, Chromium sends "Origin: null" with the app's own forms.
        response.headers[.referrerPolicy] = "same-origin"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        return response
    }
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
}
