import RelaisCore
import RelaisCrypto

/// What a node multicasts on its local network so that team peers find it: no device id, no
/// name, no personal data; sessions authenticate anyway (SPEC.md §13).
public struct Announcement: Hashable, Sendable {
    static let magic = Array("RELAIS01".utf8)
    static let encodedBytes = 8 + 8 + 8 + 2

    /// The first 8 bytes of BLAKE2b-128 of `"relais.discovery.v1" | team id`.
    public let teamHint: [UInt8]
    /// Random per daemon run: lets a node ignore its own announcements.
    public let instance: UInt64
    /// The TCP port the node accepts sync sessions on.
    public let port: UInt16

    /// An announcement of a node of `team` listening on `port`.
    public init(team: TeamID, instance: UInt64, port: UInt16) {
        self.init(teamHint: Self.hint(for: team), instance: instance, port: port)
    }

    init(teamHint: [UInt8], instance: UInt64, port: UInt16) {
        self.teamHint = teamHint
        self.instance = instance
        self.port = port
    }

    /// The 8 bytes that let a node recognise its team's announcements without naming the team.
    public static func hint(for team: TeamID) -> [UInt8] {
        Array(Hash.blake2b(Array("relais.discovery.v1".utf8) + team.value.bytes, outputBytes: 16).prefix(8))
    }

    /// The datagram: magic, team hint, instance, port (SPEC.md §13).
    public var encoded: [UInt8] {
        var writer = BinaryWriter()
        writer.writeFixed(Self.magic)
        writer.writeFixed(teamHint)
        writer.write(instance)
        writer.write(port)
        return writer.bytes
    }

    /// Nil for anything that is not an announcement: a datagram from anyone is just ignored.
    public init?(decoding bytes: [UInt8]) {
        guard bytes.count == Self.encodedBytes, Array(bytes.prefix(8)) == Self.magic else { return nil }
        var reader = BinaryReader(Array(bytes.dropFirst(8)))
        guard let hint = try? reader.readFixed(8), let instance = try? reader.readUInt64(), let port = try? reader.readUInt16(),
            port > 0
        else { return nil }
        self.init(teamHint: hint, instance: instance, port: port)
    }
}
