import Foundation

/// `relais serve` settings, from a JSON file and the command line (which wins).
///
/// ```json
/// { "listen": "0.0.0.0:7710", "peers": ["hub.example.org:7710"], "sync_interval_seconds": 60 }
/// ```
public struct DaemonConfiguration: Codable, Sendable {
    public var listen: PeerAddress?
    public var peers: [PeerAddress]
    public var syncIntervalSeconds: Int?

    public init(listen: PeerAddress? = nil, peers: [PeerAddress] = [], syncIntervalSeconds: Int? = nil) {
        self.listen = listen
        self.peers = peers
        self.syncIntervalSeconds = syncIntervalSeconds
    }

    enum CodingKeys: String, CodingKey {
        case listen, peers
        case syncIntervalSeconds = "sync_interval_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        listen = try container.decodeIfPresent(PeerAddress.self, forKey: .listen)
        peers = try container.decodeIfPresent([PeerAddress].self, forKey: .peers) ?? []
        syncIntervalSeconds = try container.decodeIfPresent(Int.self, forKey: .syncIntervalSeconds)
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
        if let seconds = configuration.syncIntervalSeconds, !(1...86_400).contains(seconds) {
            throw .badConfig("\(path): sync_interval_seconds must be 1 to 86400")
        }
        return configuration
    }

    var syncInterval: Duration { syncIntervalSeconds.map { .seconds($0) } ?? Limits.syncIntervalDefault }
}
