import Hummingbird
import NIOCore

/// Responses the app sends: a rendered page, a redirect after a form, plain text for refusals.
enum Page {
    static func html(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// A few numbers for the page's script (the progress of a sync).
    static func json(_ values: [String: any Sendable]) -> Response {
        let fields = values.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: "{" + fields.joined(separator: ", ") + "}")))
    }

    static func plain(status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// After a form: the browser loads `path` with GET, so a reload does not send the form again.
    static func redirect(to path: String, cookie: Cookie? = nil) -> Response {
        var response = Response(status: .seeOther, headers: [.location: path])
        if let cookie { response.setCookie(cookie) }
        return response
    }
}
