import Foundation
import Hummingbird
import NIOCore

/// The stylesheet and the script, shipped inside the binary: the app needs no network.
enum Assets {
    private static let types = ["app.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"]

    private static let contents: [String: ByteBuffer] = types.keys.reduce(into: [:]) { contents, name in
        guard let url = Bundle.module.resourceURL?.appendingPathComponent("Assets/\(name)"), let data = try? Data(contentsOf: url)
        else {
            preconditionFailure("the app's asset \(name) is missing from the build")
        }
        contents[name] = ByteBuffer(bytes: data)
    }

    /// An asset's text, to put inside a file made to be read without the app.
    static func text(_ name: String) -> String { String(buffer: contents[name] ?? ByteBuffer()) }

    static func response(_ name: String) -> Response {
        guard let type = types[name], let content = contents[name] else { return Page.plain(status: .notFound, "Introuvable.") }
        return Response(status: .ok, headers: [.contentType: type], body: ResponseBody(byteBuffer: content))
    }
}
