import Foundation

/// `relais serve` settings, from a JSON file and the command line (which wins).
///
/// ```json
/// { "listen": "0.0.0.0:7710", "peers": ["hub.example.org:7710"], "sync_interval_seconds": 60,
///   "discovery": true, "discovery_interface": "0.0.0.0" }
/// ```
public struct DaemonConfiguration: Codable, Sendable {
    public var listen: PeerAddress?
    public var peers: [PeerAddress]
    public var syncIntervalSeconds: Int?
    /// Multicast announcements on the local network; on unless disabled.
    public var discovery: Bool
    /// The local address whose interface carries announcements (0.0.0.0: the default route's).
    public var discoveryInterface: String
    /// Where metrics are served in Prometheus' format; off when nil.
    public var metrics: PeerAddress?

    public init(listen: PeerAddress? = nil, peers: [PeerAddress] = []) {
        self.listen = listen
        self.peers = peers
        discovery = true
        discoveryInterface = "0.0.0.0"
    }

    enum CodingKeys: String, CodingKey {
        case listen, peers, discovery, metrics
        case syncIntervalSeconds = "sync_interval_seconds"
        case discoveryInterface = "discovery_interface"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        listen = try container.decodeIfPresent(PeerAddress.self, forKey: .listen)
        peers = try container.decodeIfPresent([PeerAddress].self, forKey: .peers) ?? []
        syncIntervalSeconds = try container.decodeIfPresent(Int.self, forKey: .syncIntervalSeconds)
        discovery = try container.decodeIfPresent(Bool.self, forKey: .discovery) ?? true
        discoveryInterface = try container.decodeIfPresent(String.self, forKey: .discoveryInterface) ?? "0.0.0.0"
        metrics = try container.decodeIfPresent(PeerAddress.self, forKey: .metrics)
    }

    /// - Throws: `DaemonError.badConfig` naming the file and the problem.
    public static func load(_ path: String) throws(DaemonError) -> DaemonConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else { throw .badConfig("cannot read \(path)") }
        let configuration: DaemonConfiguration
        do {
            configuration = try JSONDecoder().decode(DaemonConfiguration.self, from: data)
        } catch let error as DaemonError {
            throw .badConfig("\(path): \(error)")
        } catch DecodingError.typeMismatch(_, let context) {
            throw .badConfig("\(path): '\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type")
        } catch {
            throw .badConfig("\(path) is not valid JSON")
        }
        guard isIPv4(configuration.discoveryInterface) else {
            throw .badConfig("\(path): discovery_interface must be an IPv4 address")
        }
        if let seconds = configuration.syncIntervalSeconds, !(1...86_400).contains(seconds) {
            throw .badConfig("\(path): sync_interval_seconds must be 1 to 86400")
        }
        return configuration
    }

    public static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }

    var syncInterval: Duration { syncIntervalSeconds.map { .seconds($0) } ?? Limits.syncIntervalDefault }
}
