import Hummingbird

/// A page sent in place of the one asked for (a file no longer open, an unknown section): thrown
/// from deep in a handler, sent as it is by `AppSecurity`.
struct PageInstead: HTTPResponseError {
    let page: Response

    init(_ page: Response) { self.page = page }

    var status: HTTPResponse.Status { page.status }

    func response(from request: Request, context: some RequestContext) throws -> Response { page }
}
