/// `HOST:PORT`, as given on the command line or in the config.
public struct PeerAddress: Hashable, Sendable, Codable, CustomStringConvertible {
    public let host: String
    public let port: Int

    /// - Throws: `DaemonError.badAddress` for anything but `HOST:PORT` with a port from 0 to 65535.
    public init(parsing text: String) throws(DaemonError) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port)
        else { throw .badAddress(text) }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw .badAddress(text) }
        self.host = host
        self.port = port
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
