/// The team's signed list of certified devices. It travels through every session like data, so
/// a laptop learns of new devices, revocations and team keys through any peer; only a newer
/// version signed by the admin key replaces the one a node holds.
public struct Roster: Hashable, Sendable {
    /// The team the roster lists.
    public let team: TeamID
    /// Increases with every roster the admin signs; the higher one replaces the other.
    public let version: UInt64
    /// The team's founding admin key: every node's anchor of trust, never replaced.
    public let adminKey: [UInt8]
    /// The admin keys that replaced it, each endorsed by the one before; the last one signs.
    public let adminChain: [AdminKeyLink]
    /// Every certified device, sorted by identifier.
    public let certificates: [DeviceCertificate]
    /// Devices taken back: from when their sessions are refused, and the last of their changes
    /// that stays valid.
    public let revocations: [DeviceID: Revocation]
    /// Devices that changed their keys, and the device id that replaced each: their certificates
    /// stay listed (their changes keep verifying) but no longer open sessions.
    public let successors: [DeviceID: DeviceID]
    /// The current team key epoch and how its key reaches the devices.
    public let teamKeys: TeamKeyDistribution
    /// The care teams of each field device; a device absent holds only the persons of the whole
    /// organisation (SPEC.md §14). Hubs hold every person whatever is listed.
    public let careTeams: [DeviceID: Set<CareTeam>]
    /// The current admin key's Ed25519 signature over the body.
    public let signature: [UInt8]

    /// A roster with these parts; `signature` is empty until signed.
    public init(
        team: TeamID, version: UInt64, adminKey: [UInt8], adminChain: [AdminKeyLink] = [], certificates: [DeviceCertificate],
        revocations: [DeviceID: Revocation] = [:], successors: [DeviceID: DeviceID] = [:],
        teamKeys: TeamKeyDistribution = .init(epoch: 1, sealedKeys: [:], chain: [:]),
        careTeams: [DeviceID: Set<CareTeam>] = [:], signature: [UInt8]
    ) {
        self.team = team
        self.version = version
        self.adminKey = adminKey
        self.adminChain = adminChain
        self.certificates = certificates.sorted { $0.device < $1.device }
        self.revocations = revocations
        self.successors = successors
        self.teamKeys = teamKeys
        self.careTeams = careTeams.filter { !$0.value.isEmpty }
        self.signature = signature
    }

    /// The admin key that signs this roster and the certificates issued since it took over.
    public var currentAdminKey: [UInt8] { adminChain.last?.key ?? adminKey }

    /// How `device` was revoked, if it was.
    public func revocation(of device: DeviceID) -> Revocation? { revocations[device] }

    /// The certificate of `device`, if it is listed.
    public func certificate(of device: DeviceID) -> DeviceCertificate? {
        certificates.first { $0.device == device }
    }

    /// The roster's certificate of `presented`'s device when it is a renewal of it: another
    /// certificate of the same keys, valid at least as long (renewed, or issued anew by a new
    /// admin key). Peers hold a device to it, so a renewal reaches it through any node.
    public func renewal(of presented: DeviceCertificate) -> DeviceCertificate? {
        guard let held = certificate(of: presented.device), held != presented, held.signingKey == presented.signingKey,
            held.noiseKey == presented.noiseKey, held.expiresAt >= presented.expiresAt
        else { return nil }
        return held
    }

    /// The devices that may read: certified, neither revoked nor replaced by a key change.
    public var activeCertificates: [DeviceCertificate] {
        certificates.filter { revocations[$0.device] == nil && successors[$0.device] == nil }
    }

    /// What `device` may hold: every person for a hub, else its care teams' and the organisation's.
    public func scopeReader(of device: DeviceID) -> ScopeReader {
        ScopeReader(holdsAll: certificate(of: device)?.role == .hub, careTeams: careTeams[device] ?? [])
    }

    /// The next version, with `device` in exactly `teams` (none: the whole organisation's persons only).
    public func assigning(_ device: DeviceID, to teams: Set<CareTeam>) -> Roster {
        var careTeams = careTeams
        careTeams[device] = teams
        return copy(version: version + 1, careTeams: careTeams)
    }

    /// The next version, revoking `device` from `time` on and voiding its changes after `validThrough`.
    public func revoking(_ device: DeviceID, at time: WallTime, validThrough: UInt64) -> Roster {
        var revocations = revocations
        revocations[device] = Revocation(at: time, validThrough: validThrough)
        return copy(version: version + 1, revocations: revocations)
    }

    /// The next version, with `certificate` added or replacing the device's previous one.
    public func adding(_ certificate: DeviceCertificate) -> Roster {
        copy(version: version + 1, certificates: certificates.filter { $0.device != certificate.device } + [certificate])
    }

    /// The next version, with `certificate` for a device that replaces `device` after a key change.
    public func replacing(_ device: DeviceID, with certificate: DeviceCertificate) -> Roster {
        var successors = successors
        successors[device] = certificate.device
        return adding(certificate).copy(successors: successors)
    }

    /// The next version without `devices` (revoked or retired, their certificates expired): they
    /// can open no session any more, and their changes verify with their closures instead.
    public func pruning(_ devices: Set<DeviceID>) -> Roster {
        copy(
            version: version + 1, certificates: certificates.filter { !devices.contains($0.device) },
            revocations: revocations.filter { !devices.contains($0.key) },
            successors: successors.filter { !devices.contains($0.key) },
            teamKeys: TeamKeyDistribution(
                epoch: teamKeys.epoch, sealedKeys: teamKeys.sealedKeys.filter { !devices.contains($0.key) },
                chain: teamKeys.chain),
            careTeams: careTeams.filter { !devices.contains($0.key) })
    }

    /// The next version, with a new team key epoch.
    public func distributing(_ teamKeys: TeamKeyDistribution) -> Roster { copy(version: version + 1, teamKeys: teamKeys) }

    /// The next version, signed from now on by the key `link` endorses.
    public func handingAdminTo(_ link: AdminKeyLink) -> Roster { copy(version: version + 1, adminChain: adminChain + [link]) }

    /// The same roster under another version number, unsigned: several edits published as one version.
    public func with(version: UInt64) -> Roster { copy(version: version) }

    /// The roster with the admin key's `signature`.
    public func signed(_ signature: [UInt8]) -> Roster { copy(signature: signature) }

    /// This roster with some parts replaced; unsigned unless a signature is given.
    private func copy(
        version: UInt64? = nil, adminChain: [AdminKeyLink]? = nil, certificates: [DeviceCertificate]? = nil,
        revocations: [DeviceID: Revocation]? = nil, successors: [DeviceID: DeviceID]? = nil, teamKeys: TeamKeyDistribution? = nil,
        careTeams: [DeviceID: Set<CareTeam>]? = nil, signature: [UInt8] = []
    ) -> Roster {
        Roster(
            team: team, version: version ?? self.version, adminKey: adminKey, adminChain: adminChain ?? self.adminChain,
            certificates: certificates ?? self.certificates, revocations: revocations ?? self.revocations,
            successors: successors ?? self.successors, teamKeys: teamKeys ?? self.teamKeys,
            careTeams: careTeams ?? self.careTeams, signature: signature)
    }
}

extension Roster: SignedDocument {
    /// The encoding version, first byte of the body.
    public static let formatVersion: UInt8 = 4
    /// Prefixed to the body before signing, so no other document's signature can pass for it.
    public static let signingDomain = Array("relais.roster.v4".utf8)

    /// Writes the signed body (SPEC.md §10).
    public func writeBody(into writer: inout BinaryWriter) {
        writer.write(team.value)
        writer.write(version)
        writer.writeFixed(adminKey)
        AdminKeyLink.encode(adminChain, into: &writer)
        writer.write(UInt32(certificates.count))
        for certificate in certificates { writer.writeLengthPrefixed(certificate.encoded) }
        let revoked = revocations.sorted { $0.key < $1.key }
        writer.write(UInt32(revoked.count))
        for (device, revocation) in revoked {
            writer.write(device.value)
            writer.write(revocation.at.milliseconds)
            writer.write(revocation.validThrough)
        }
        let replaced = successors.sorted { $0.key < $1.key }
        writer.write(UInt32(replaced.count))
        for (device, successor) in replaced {
            writer.write(device.value)
            writer.write(successor.value)
        }
        teamKeys.write(into: &writer)
        let assigned = careTeams.sorted { $0.key < $1.key }
        writer.write(UInt32(assigned.count))
        for (device, teams) in assigned {
            writer.write(device.value)
            CareTeam.encode(teams, into: &writer)
        }
    }

    /// Decodes a roster as `encoded` wrote it; the receiver checks its signature and admin chain.
    public init(decoding bytes: [UInt8]) throws(DecodingError) {
        var reader = BinaryReader(bytes)
        guard try reader.readUInt8() == Self.formatVersion else { throw .malformed("unknown roster format") }
        let team = TeamID(try reader.readIdentifier())
        let version = try reader.readUInt64()
        let adminKey = try reader.readFixed(32)
        let adminChain = try AdminKeyLink.decodeChain(from: &reader)
        let count = try reader.readCount(limit: Limits.rosterCertificatesMax, itemBytesMin: 100)
        var certificates: [DeviceCertificate] = []
        for _ in 0..<count {
            certificates.append(try DeviceCertificate(decoding: try reader.readLengthPrefixed(limit: 1_024)))
        }
        let revokedCount = try reader.readCount(limit: Limits.rosterCertificatesMax, itemBytesMin: 32)
        var revocations: [DeviceID: Revocation] = [:]
        for _ in 0..<revokedCount {
            let device = DeviceID(try reader.readIdentifier())
            revocations[device] = Revocation(
                at: WallTime(milliseconds: try reader.readUInt64()), validThrough: try reader.readUInt64())
        }
        var successors: [DeviceID: DeviceID] = [:]
        for _ in 0..<(try reader.readCount(limit: Limits.rosterCertificatesMax, itemBytesMin: 32)) {
            successors[DeviceID(try reader.readIdentifier())] = DeviceID(try reader.readIdentifier())
        }
        let teamKeys = try TeamKeyDistribution(reading: &reader, devicesMax: Limits.rosterCertificatesMax)
        var careTeams: [DeviceID: Set<CareTeam>] = [:]
        for _ in 0..<(try reader.readCount(limit: Limits.rosterCertificatesMax, itemBytesMin: 20)) {
            let device = DeviceID(try reader.readIdentifier())
            let teams = try CareTeam.decodeSet(from: &reader)
            guard !teams.isEmpty, careTeams.updateValue(teams, forKey: device) == nil else {
                throw .malformed("a device's care teams are listed twice or empty")
            }
        }
        let signature = try reader.readFixed(Limits.signatureBytes)
        try reader.expectEnd()
        self.init(
            team: team, version: version, adminKey: adminKey, adminChain: adminChain, certificates: certificates,
            revocations: revocations, successors: successors, teamKeys: teamKeys, careTeams: careTeams,
            signature: signature)
    }
}
