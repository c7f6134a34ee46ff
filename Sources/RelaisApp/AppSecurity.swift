import HTTPTypes
import Hummingbird

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
        return Self.secured(try await next(request, context))
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
