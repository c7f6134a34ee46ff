/// A care team inside the organisation (a neighbourhood's mediators, a programme): field devices
/// hold only the persons of their care teams (SPEC.md §14).
public struct CareTeam: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The team's short lowercase name, as the admin typed it.
    public let name: String

    /// - Throws: when `name` is not 1 to 32 of `a`–`z`, `0`–`9` and `-`.
    public init(_ name: String) throws(DecodingError) {
        guard !name.isEmpty, name.utf8.count <= Limits.careTeamNameBytesMax,
            name.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D })
        else { throw .malformed("a care team name is 1 to 32 of a-z, 0-9 and '-': \(name.prefix(40))") }
        self.name = name
    }

    /// The name, as logs and the CLI show it.
    public var description: String { name }

    /// Orders care teams by name, so encoded lists are canonical.
    public static func < (lhs: CareTeam, rhs: CareTeam) -> Bool { lhs.name < rhs.name }

    /// `u32 n | n × name (bytes)`, sorted, each once.
    static func encode(_ teams: Set<CareTeam>, into writer: inout BinaryWriter) {
        writer.write(UInt32(teams.count))
        for team in teams.sorted() { writer.writeLengthPrefixed(Array(team.name.utf8)) }
    }

    static func decodeSet(from reader: inout BinaryReader) throws(DecodingError) -> Set<CareTeam> {
        let count = try reader.readCount(limit: Limits.careTeamsMax, itemBytesMin: 5)
        var teams: Set<CareTeam> = []
        for _ in 0..<count {
            let bytes = try reader.readLengthPrefixed(limit: Limits.careTeamNameBytesMax)
            guard let name = String(validating: bytes, as: UTF8.self) else { throw .malformed("a care team name is not UTF-8") }
            guard teams.insert(try CareTeam(name)).inserted else { throw .malformed("a care team is named twice") }
        }
        return teams
    }
}
