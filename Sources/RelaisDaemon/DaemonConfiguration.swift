import Foundation

/// `relais serve` settings, from a JSON file and the command line (which wins).
///
/// ```json
/// { "listen": "0.0.0.0:7710", "peers": ["hub.example.org:7710"], "sync_interval_seconds": 60,
///   "discovery": true, "discovery_interface": "0.0.0.0", "ui": "127.0.0.1:8437" }
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
    /// Where the app is served, on a loopback address only (`"ui": false` in the file: off).
    public var ui: PeerAddress?

    public init(listen: PeerAddress? = nil, peers: [PeerAddress] = []) {
        self.listen = listen
        self.peers = peers
        discovery = true
        discoveryInterface = "0.0.0.0"
        ui = .uiDefault
    }

    enum CodingKeys: String, CodingKey {
        case listen, peers, discovery, metrics, ui
        case syncIntervalSeconds = "sync_interval_seconds"
        case discoveryInterface = "discovery_interface"
    }

    /// Any key, to find those the file has that this version does not know.
    private struct AnyKey: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    /// A key the file has that no setting takes: a typo would otherwise be silently ignored.
    struct UnknownSetting: Error {
        let name: String
    }

    static let settingNames = ["listen", "peers", "sync_interval_seconds", "discovery", "discovery_interface", "metrics", "ui"]

    public init(from decoder: any Decoder) throws {
        for key in try decoder.container(keyedBy: AnyKey.self).allKeys where CodingKeys(stringValue: key.stringValue) == nil {
            throw UnknownSetting(name: key.stringValue)
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        listen = try container.decodeIfPresent(PeerAddress.self, forKey: .listen)
        peers = try container.decodeIfPresent([PeerAddress].self, forKey: .peers) ?? []
        // Read as any number, so that 1e300 or 0.5 get the range in the error, not "not valid JSON".
        syncIntervalSeconds = try container.decodeIfPresent(Double.self, forKey: .syncIntervalSeconds).map { seconds in
            guard seconds.rounded() == seconds, (1...86_400).contains(seconds) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .syncIntervalSeconds, in: container, debugDescription: "not a whole number of seconds")
            }
            return Int(seconds)
        }
        discovery = try container.decodeIfPresent(Bool.self, forKey: .discovery) ?? true
        discoveryInterface = try container.decodeIfPresent(String.self, forKey: .discoveryInterface) ?? "0.0.0.0"
        metrics = try container.decodeIfPresent(PeerAddress.self, forKey: .metrics)
        if (try? container.decode(Bool.self, forKey: .ui)) == false {
            ui = nil
        } else {
            ui = try container.decodeIfPresent(PeerAddress.self, forKey: .ui) ?? .uiDefault
        }
    }

    /// - Throws: `DaemonError.badConfig` naming the file and the problem.
    public static func load(_ path: String) throws(DaemonError) -> DaemonConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else { throw .badConfig("cannot read \(path)") }
        let configuration: DaemonConfiguration
        do {
            configuration = try JSONDecoder().decode(DaemonConfiguration.self, from: data)
        } catch let error as DaemonError {
            throw .badConfig("\(path): \(error)")
        } catch let unknown as UnknownSetting {
            throw .badConfig(
                "\(path): unknown setting '\(unknown.name.prefix(60))'; the settings are \(settingNames.joined(separator: ", "))")
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.map(\.stringValue) == ["sync_interval_seconds"]
        {
            throw .badConfig("\(path): sync_interval_seconds must be a whole number from 1 to 86400")
        } catch DecodingError.typeMismatch(_, let context) {
            throw .badConfig("\(path): '\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type")
        } catch DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty {
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
        if let ui = configuration.ui, !ui.isLoopback {
            throw .badConfig("\(path): \(uiNotLoopback)")
        }
        return configuration
    }

    /// Why a non-loopback `ui` is refused, and the way to reach the app from elsewhere.
    public static let uiNotLoopback =
        "ui must be a loopback address (127.0.0.1 or ::1): the app shows patient data; from another machine, use an SSH tunnel (Deploy/RUNBOOK.md)"

    public static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }

    var syncInterval: Duration { syncIntervalSeconds.map { .seconds($0) } ?? Limits.syncIntervalDefault }
}
