/// Which care teams may hold a person, as its scope register says (SPEC.md §14).
///
/// The register holds the care-team lists written by `setScope` operations; concurrent moves both
/// stay, and the scope is their union, so a race between two moves never takes a file away from
/// a team that one of them gave it to. A person never scoped, or whose live entries include the
/// empty list, belongs to the whole organisation.
public struct PersonScope: Hashable, Sendable {
    /// Nil: every device of the organisation may hold the person.
    public let careTeams: Set<CareTeam>?

    /// The scope of `careTeams`; nil for the whole organisation.
    public init(careTeams: Set<CareTeam>?) { self.careTeams = careTeams }

    /// - Throws: when an entry does not decode as a care-team list.
    public init(register: MultiValueRegister) throws(DecodingError) {
        var union: Set<CareTeam> = []
        for entry in register.entries {
            let teams = try Self.decodeEntry(entry.sealedValue ?? [])
            if teams.isEmpty {
                self.init(careTeams: nil)
                return
            }
            union.formUnion(teams)
        }
        self.init(careTeams: union.isEmpty ? nil : union)
    }

    /// How a `setScope` list is kept in the scope register (plaintext: scopes are not secret).
    public static func encodeEntry(_ teams: Set<CareTeam>) -> [UInt8] {
        var writer = BinaryWriter()
        CareTeam.encode(teams, into: &writer)
        return writer.bytes
    }

    static func decodeEntry(_ bytes: [UInt8]) throws(DecodingError) -> Set<CareTeam> {
        var reader = BinaryReader(bytes)
        let teams = try CareTeam.decodeSet(from: &reader)
        try reader.expectEnd()
        return teams
    }
}

/// What one device may hold: a hub holds every person; a field device the persons of its care
/// teams and those of the whole organisation.
public struct ScopeReader: Hashable, Sendable {
    /// Whether the device holds every person (a hub, or a node not yet in a team).
    public let holdsAll: Bool
    /// The care teams of a field device.
    public let careTeams: Set<CareTeam>

    /// A reader that holds everything when `holdsAll`, else the persons of `careTeams` and of the
    /// whole organisation.
    public init(holdsAll: Bool, careTeams: Set<CareTeam>) {
        self.holdsAll = holdsAll
        self.careTeams = careTeams
    }

    /// A node that has not joined a team yet holds what it writes.
    public static let everything = ScopeReader(holdsAll: true, careTeams: [])

    /// Whether a person of `scope` belongs on this device.
    public func mayHold(_ scope: PersonScope) -> Bool {
        guard !holdsAll, let teams = scope.careTeams else { return true }
        return !teams.isDisjoint(with: careTeams)
    }
}
