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

    /// Where the app is served unless told otherwise, on every node.
    public static let uiDefault = PeerAddress(host: "127.0.0.1", port: 8437)

    private init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// An address only this machine reaches: 127.0.0.0/8, ::1 or localhost.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || (DaemonConfiguration.isIPv4(host) && host.hasPrefix("127."))
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
