import Foundation
import GRDB
import RelaisCore
import RelaisCrypto

/// The team as this node knows it, and the only code that writes the `team`, `invites` and
/// `devices` tables: the team's creation, invites and enrolment, joining, rosters adopted, devices
/// revoked and assigned to care teams, and the keys (team key epochs, admin key rotations,
/// certificate renewals, a device's change of keys, pruning).
struct TeamService {
    let database: any DatabaseWriter
    let keys: KeyringStore
    let log: ChangeLog
    let personKeys: PersonKeys
    let wallClock: () -> WallTime
    let makeIdentifier: () -> Identifier128

    var keyring: Keyring { keys.keyring }
}

extension TeamService {
    /// The first team key epoch; epoch 0 is a device's own key before it joins a team.
    static let firstTeamEpoch: UInt32 = 1

    var teamState: TeamState? {
        get throws(StoreError) { try database.reading { try TeamState.stored($0) } }
    }

    /// Makes this node the admin and hub of a new team; the persons it already holds become the team's.
    /// - Throws: `StoreError.invalidWrite` when the node already belongs to a team.
    func createTeam() throws(StoreError) -> TeamState {
        guard try teamState == nil else { throw .invalidWrite("this node already belongs to a team") }
        let adminKey = SigningKey.generate()
        let team = TeamID(makeIdentifier())
        let now = wallClock()
        let certificate = Self.certify(
            Self.template(
                team: team, device: keyring.device, role: .hub, name: keyring.deviceName, signingKey: keyring.signingPublicKey,
                noiseKey: keyring.noiseKey.publicKey), at: now, by: adminKey)
        let teamKey = SecureBytes.random(count: AEAD.keyBytes)
        let roster = Roster(
            team: team, version: 1, adminKey: adminKey.publicKey, certificates: [certificate],
            teamKeys: TeamKeyDistribution(
                epoch: Self.firstTeamEpoch, sealedKeys: try Self.seal(teamKey, to: [certificate]), chain: [:]),
            signature: [])
        let signedRoster = roster.signed(adminKey.sign(roster.signedBytes))
        try keys.replace(with: keyring.adding(teamKey: teamKey, epoch: Self.firstTeamEpoch, adminKey: adminKey))
        try database.writing { db in try saveTeam(signedRoster, adminKey: adminKey.publicKey, certificate: certificate, db) }
        try rewrapPersonKeys()
        return try teamState!
    }

    /// A one-time enrolment token: `<token id>-<secret>`, 64 + 128 bits, single use, expiring.
    /// - Throws: `StoreError.invalidWrite` unless this node holds the team's admin key.
    func createInvite(role: DeviceCertificate.Role, name: String, validFor: Duration) throws(StoreError) -> String {
        guard keyring.adminKey != nil, try teamState != nil else {
            throw .invalidWrite("only the team's admin node can invite devices ('relais team create' first)")
        }
        guard name.isEmpty || DeviceCertificate.isValidName(name) else {
            throw .deviceNameRefused
        }
        let tokenID = RandomBytes.make(count: 8)
        var secret = RandomBytes.make(count: 16)
        let token =
            Identifier128(bytes: tokenID + [UInt8](repeating: 0, count: 8)).hex.prefix(16) + "-"
            + Identifier128(bytes: secret).hex
        let key = Self.enrolmentKey(secret: &secret)
        let sealed = AEAD.seal(secret: key, key: keyring.currentTeamKey, associatedData: Self.inviteData(tokenID))
        let expires = (wallClock() + validFor).milliseconds
        try database.writing { db in
            try db.execute(
                sql: "INSERT INTO invites (token_id, sealed_key, role, name, expires_ms) VALUES (?, ?, ?, ?, ?)",
                arguments: [Data(tokenID), Data(sealed), Int(role.rawValue), name, Int64(expires)])
        }
        return String(token)
    }

    /// Splits a token into the id the hub looks up and the pre-shared key both sides derive.
    /// - Throws: `StoreError.invalidWrite` for text that is not a token.
    static func parseToken(_ token: String) throws(StoreError) -> (id: [UInt8], preSharedKey: SecureBytes) {
        // Read out and typed back in groups (the app shows it so): blanks carry nothing.
        let parts = token.lowercased().filter { !$0.isWhitespace }.split(separator: "-")
        guard parts.count == 2, parts[0].count == 16, let idValue = UInt64(parts[0], radix: 16),
            let secretValue = Identifier128(hex: parts[1])
        else {
            throw .invalidWrite(
                "'\(token.prefix(40))' is not an enrolment token (expected 16 hex digits, '-', 32 hex digits; blanks are ignored)"
            )
        }
        var secret = secretValue.bytes
        let id = (0..<8).map { UInt8(truncatingIfNeeded: idValue >> (56 - 8 * UInt64($0))) }
        return (id, enrolmentKey(secret: &secret))
    }

    /// The pre-shared key of an unused, unexpired invite.
    /// - Throws: `StoreError.unusableInvite` naming why the invite cannot be used.
    func invitePreSharedKey(tokenID: [UInt8]) throws(StoreError) -> SecureBytes {
        let now = wallClock()
        return try database.reading { db in
            let row = try Self.usableInvite(tokenID, at: now, db)
            // Sealed under the team key of its day, which a rotation since may have replaced.
            guard
                let key = keyring.teamKeys.values.lazy.compactMap({
                    try? AEAD.openSecret(try row.bytes("sealed_key"), key: $0, associatedData: Self.inviteData(tokenID))
                }).first
            else { throw StoreError.unusableInvite(.unknown) }
            return key
        }
    }

    /// Certifies a device that proved it knows an invite's token; the invite is used up.
    ///
    /// A device id is the device's own for good: its changes are verified against the key the
    /// roster names for it. So an id the team already knows (certified, retired or revoked, or
    /// one whose changes this node holds) is never certified again; the token that asked for it
    /// is used up, since whoever holds it tried to pass for another device (SPEC.md §9).
    /// - Throws: `StoreError.unusableInvite` when the invite is unknown, used or expired,
    ///   `StoreError.deviceIDTaken` for an id the team knows.
    func enrol(tokenID: [UInt8], identity: EnrolmentIdentity, noiseKey: [UInt8]) throws(StoreError) -> EnrolmentGrant {
        guard let adminKey = keyring.adminKey, let team = try teamState else {
            throw .invalidWrite("this node is not a team admin")
        }
        let now = wallClock()
        let outcome: Result<EnrolmentGrant, StoreError> = try database.writing { db in
            let row = try Self.usableInvite(tokenID, at: now, db)
            try db.execute(
                sql: "UPDATE invites SET used_by = ? WHERE token_id = ?", arguments: [identity.device.blob, Data(tokenID)])
            guard try !Self.knows(identity.device, team.roster, db) else { return .failure(.deviceIDTaken(identity.device)) }
            guard let role = DeviceCertificate.Role(rawValue: UInt8(try row.value("role") as Int)) else {
                throw StoreError.unusableInvite(.unknown)
            }
            let invitedName = try row.value("name") as String
            let name = [invitedName, identity.name].first { !$0.isEmpty } ?? "device \(identity.device)"
            let certificate = Self.certify(
                Self.template(
                    team: team.team, device: identity.device, role: role, name: name,
                    signingKey: identity.signingKey, noiseKey: noiseKey), at: now, by: adminKey)
            let (current, closures) = try pruned(team.roster, at: now, by: adminKey, db)
            let distribution = current.teamKeys
            let sealed = try Self.seal(keyring.currentTeamKey, to: [certificate])
            let roster = current.adding(certificate).distributing(
                TeamKeyDistribution(
                    epoch: distribution.epoch, sealedKeys: distribution.sealedKeys.merging(sealed) { $1 },
                    chain: distribution.chain))
            let signedRoster = roster.with(version: team.roster.version + 1).signed(
                adminKey.sign(roster.with(version: team.roster.version + 1).signedBytes))
            guard signedRoster.encoded.count <= RelaisCore.Limits.rosterBytesMax else {
                throw StoreError.invalidWrite(
                    "the roster cannot list more devices (\(current.certificates.count) in it): revoke unused ones; a revoked or retired device leaves it once its certificate expires (90 days at most)"
                )
            }
            _ = try ChangeLog.keep(closures, db)
            try saveTeam(signedRoster, adminKey: team.adminKey, certificate: team.certificate, db)
            return .success(
                EnrolmentGrant(
                    certificate: certificate, roster: signedRoster, teamKeyEpoch: keyring.currentEpoch,
                    sealedTeamKey: sealed[certificate.device]!))
        }
        return try outcome.get()
    }

    /// The invite of `tokenID`, if it can still be used at `now`.
    private static func usableInvite(_ tokenID: [UInt8], at now: WallTime, _ db: Database) throws -> Row {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT sealed_key, role, name, expires_ms, used_by FROM invites WHERE token_id = ?",
                arguments: [Data(tokenID)])
        else { throw StoreError.unusableInvite(.unknown) }
        guard (try row.value("used_by") as Data?) == nil else { throw StoreError.unusableInvite(.used) }
        let expires = UInt64(try row.value("expires_ms") as Int64)
        guard expires > now.milliseconds else { throw StoreError.unusableInvite(.expired(WallTime(milliseconds: expires))) }
        return row
    }

    /// Whether `device` names a device of the team, past or present: listed in the roster (its
    /// certificate stays there once revoked or retired), or a signer this node ever knew (every
    /// roster `saveTeam` kept put its devices there).
    static func knows(_ device: DeviceID, _ roster: Roster, _ db: Database) throws -> Bool {
        try roster.certificate(of: device) != nil
            || Bool.fetchOne(db, sql: "SELECT 1 FROM devices WHERE id = ?", arguments: [device.blob]) ?? false
    }

    /// Joins the team of a grant received from its hub: keeps the certificate and roster, opens
    /// the team key, and makes the persons this device already holds the team's.
    /// - Throws: `StoreError.invalidWrite` for a grant that does not verify or is not for this device.
    func join(_ grant: EnrolmentGrant) throws(StoreError) {
        guard try teamState == nil else { throw .invalidWrite("this node already belongs to a team") }
        let roster = grant.roster
        guard AdminKeyChain.verifies(roster, founding: roster.adminKey),
            SigningKey.isValid(
                signature: grant.certificate.signature, message: grant.certificate.signedBytes,
                publicKey: roster.currentAdminKey),
            grant.certificate.device == keyring.device, grant.certificate.signingKey == keyring.signingPublicKey,
            grant.certificate.noiseKey == keyring.noiseKey.publicKey, grant.certificate.team == roster.team,
            grant.teamKeyEpoch == roster.teamKeys.epoch
        else { throw .invalidWrite("the hub's grant does not verify; nothing was changed") }
        let teamKey: SecureBytes
        do { teamKey = try SealedBox.open(grant.sealedTeamKey, with: keyring.noiseKey) } catch {
            throw .invalidWrite("the team key was not sealed for this device")
        }
        try keys.replace(with: keyring.adding(teamKeys: teamKeys(from: roster.teamKeys, team: roster.team, newest: teamKey)))
        try database.writing { db in try saveTeam(roster, adminKey: roster.adminKey, certificate: grant.certificate, db) }
        try rewrapPersonKeys()
    }

    /// Adopts a roster from a peer if it is newer and signed by this team's admin key. If it
    /// revokes this very device, the keyring is destroyed on the spot: a remote wipe that needs
    /// no hub, only any peer that learnt the roster.
    @discardableResult
    func adoptRoster(_ bytes: [UInt8]) throws(StoreError) -> RosterAdoption {
        guard let team = try teamState, let roster = try? Roster(decoding: bytes) else { return .ignored }
        guard roster.team == team.team, roster.version > team.roster.version,
            AdminKeyChain.verifies(roster, founding: team.adminKey, known: team.roster.adminChain)
        else { return .ignored }
        guard roster.revocation(of: keyring.device) == nil else {
            try database.writing { db in try saveTeam(roster, adminKey: team.adminKey, certificate: team.certificate, db) }
            keys.destroy()
            return .revokedThisDevice
        }
        // The keyring first: once the roster is saved, no newer one may come to hand the key again.
        if roster.teamKeys.epoch > keyring.currentEpoch {
            let teamKeys = teamKeys(from: roster.teamKeys, team: team.team)
            if !teamKeys.isEmpty { try keys.replace(with: keyring.adding(teamKeys: teamKeys)) }
        }
        let certificate = ownRenewal(in: roster, holding: team.certificate)
        try database.writing { db in try saveTeam(roster, adminKey: team.adminKey, certificate: certificate, db) }
        return .adopted
    }

    /// Takes a device back: every node that learns the new roster refuses its sessions and the
    /// changes it signs from now on, and the device itself destroys its keyring when it learns it.
    /// - Throws: `StoreError.invalidWrite` unless this is the admin node and the id names another device.
    func revokeDevice(_ id: String) throws(StoreError) -> DeviceCertificate {
        guard let adminKey = keyring.adminKey, let team = try teamState else {
            throw .invalidWrite("only the team's admin node can revoke devices")
        }
        let certificate = try uniqueDevice(id, in: team.roster)
        guard certificate.device != keyring.device else { throw .invalidWrite("the admin node cannot revoke itself") }
        guard team.roster.revocation(of: certificate.device) == nil else {
            throw .invalidWrite("device \(certificate.device) is already revoked")
        }
        // What this node holds of the device stays valid everywhere; the rest is void.
        let held = try database.reading { try SQLiteReplicaStorage($0).versionVector() }[certificate.device]
        let roster = team.roster.revoking(certificate.device, at: wallClock(), validThrough: held)
        let signed = roster.signed(adminKey.sign(roster.signedBytes))
        try database.writing { db in try saveTeam(signed, adminKey: team.adminKey, certificate: team.certificate, db) }
        return certificate
    }

    /// The devices of the roster, for `relais admin devices`.
    func devices() throws(StoreError) -> [DeviceListing] {
        guard let team = try teamState else { throw .invalidWrite("this node belongs to no team yet") }
        return team.roster.certificates.map { certificate in
            DeviceListing(
                device: certificate.device.hex, name: certificate.name, role: certificate.role.description,
                issuedAt: RegisterReading.format(HLCTimestamp(milliseconds: certificate.issuedAt.milliseconds, counter: 0)),
                expiresAt: RegisterReading.format(HLCTimestamp(milliseconds: certificate.expiresAt.milliseconds, counter: 0)),
                revokedAt: team.roster.revocation(of: certificate.device).map {
                    RegisterReading.format(HLCTimestamp(milliseconds: $0.at.milliseconds, counter: 0))
                },
                replacedBy: team.roster.successors[certificate.device]?.hex,
                careTeams: (team.roster.careTeams[certificate.device] ?? []).sorted().map(\.name),
                isThisDevice: certificate.device == keyring.device)
        }
    }

    /// Keeps the roster; when it moves this device to other care teams, persons that left its
    /// scope are purged and those that entered it await their files (SPEC.md §14).
    func saveTeam(_ roster: Roster, adminKey: [UInt8], certificate: DeviceCertificate, _ db: Database) throws {
        let previous = try TeamState.stored(db)?.roster
        let previousReader = previous?.scopeReader(of: keyring.device) ?? .everything
        try db.execute(
            sql:
                "INSERT OR REPLACE INTO team (singleton, team, roster, roster_version, admin_key, certificate) VALUES (1, ?, ?, ?, ?, ?)",
            arguments: [
                roster.team.value.blob, Data(roster.encoded), Int64(roster.version), Data(adminKey), Data(certificate.encoded),
            ])
        for member in roster.certificates {
            let revocation = roster.revocation(of: member.device)
            try db.execute(
                sql: "INSERT OR REPLACE INTO devices (id, signing_key, revoked_at_ms, revoked_through) VALUES (?, ?, ?, ?)",
                arguments: [
                    member.device.blob, Data(member.signingKey), revocation.map { Int64($0.at.milliseconds) },
                    revocation.map { Int64($0.validThrough) },
                ])
        }
        let reader = roster.scopeReader(of: keyring.device)
        let applier = ChangeApplier(storage: SQLiteReplicaStorage(db), reader: reader)
        var rebuilt: Set<RecordID> = []
        for device in roster.revocations.keys where previous?.revocation(of: device) == nil {
            rebuilt.formUnion(try applier.undoLateChanges(of: device))
        }
        if reader != previousReader { rebuilt.formUnion(try applier.rescope()) }
        if !rebuilt.isEmpty || reader != previousReader {
            try log.follow(AppliedChanges(rebuilt: rebuilt, scopeMoved: reader != previousReader), db)
        }
    }

    /// Puts a device in exactly these care teams (none: it holds only the organisation's persons).
    /// - Throws: `StoreError.invalidWrite` unless this is the admin node and the id names a device.
    func assignCareTeams(_ id: String, _ teams: Set<CareTeam>) throws(StoreError) -> DeviceCertificate {
        guard let adminKey = keyring.adminKey, let team = try teamState else {
            throw .invalidWrite("only the team's admin node can assign care teams")
        }
        let certificate = try uniqueDevice(id, in: team.roster)
        guard certificate.role == .field else {
            throw .invalidWrite("\(certificate.name) is a hub: it holds every person whatever its care teams")
        }
        let roster = team.roster.assigning(certificate.device, to: teams)
        let signed = roster.signed(adminKey.sign(roster.signedBytes))
        guard signed.encoded.count <= RelaisCore.Limits.rosterBytesMax else {
            throw .invalidWrite("the roster cannot hold more care-team assignments: use fewer or shorter names")
        }
        try database.writing { db in try saveTeam(signed, adminKey: team.adminKey, certificate: team.certificate, db) }
        return certificate
    }

    /// The roster's device named by `id` or an unambiguous prefix of at least 6 hex digits.
    private func uniqueDevice(_ id: String, in roster: Roster) throws(StoreError) -> DeviceCertificate {
        let matches = roster.certificates.filter { $0.device.hex.hasPrefix(id.lowercased()) }
        guard id.count >= 6, matches.count == 1, let certificate = matches.first else {
            throw matches.count > 1
                ? .ambiguousRecord(id, matches: matches.count) : .invalidWrite("no device of the team matches '\(id)'")
        }
        return certificate
    }

    /// Wraps every person key readable only with an older epoch under the current team key, in
    /// changes of bounded size, so that the team's devices can read those persons.
    private func rewrapPersonKeys() throws(StoreError) {
        let epoch = keyring.currentEpoch
        let persons = try database.reading { db in
            try Data.fetchAll(
                db,
                sql:
                    "SELECT DISTINCT person FROM person_keys WHERE person NOT IN (SELECT person FROM person_keys WHERE epoch = ?)",
                arguments: [Int64(epoch)]
            ).map { try RecordID(blob: $0) }
        }
        for chunk in stride(from: 0, to: persons.count, by: 300).map({ persons[$0..<min($0 + 300, persons.count)] }) {
            try log.commit { builder, db in
                for person in chunk {
                    let cipher = try personKeys.cipher(for: person, db)
                    let wrapped = AEAD.seal(
                        secret: cipher.key, key: keyring.currentTeamKey,
                        associatedData: PersonCipher.keyWrappingData(person: person, epoch: epoch))
                    builder.append(Operation(person: person, record: person, body: .personKey(epoch: epoch, wrappedKey: wrapped)))
                }
            }
        }
    }

    private static func enrolmentKey(secret: inout [UInt8]) -> SecureBytes {
        var key = Hash.blake2b(Array("relais.enrol.v1".utf8) + secret)
        for index in secret.indices { secret[index] = 0 }
        return SecureBytes(consuming: &key)
    }

    private static func inviteData(_ tokenID: [UInt8]) -> [UInt8] {
        Array("relais.invite.v1".utf8) + tokenID
    }
}
