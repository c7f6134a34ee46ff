import RelaisCore
import RelaisCrypto

extension TeamService {
    /// Starts a new team key epoch: the key is sealed in the roster to every device that is not
    /// revoked, and the previous key sealed under it, so a device holding the new key can still read
    /// everything older. Nothing is re-encrypted and no person key is re-wrapped: values written from
    /// now on are sealed under keys derived from the new team key (`PersonCipher`), which a revoked
    /// device never receives. The work is one sealed box per device.
    /// - Throws: `StoreError.invalidWrite` unless this is the team's admin node.
    func rotateTeamKey() throws(StoreError) -> TeamKeyRotation {
        guard let adminKey = keyring.adminKey, let team = try teamState else {
            throw .invalidWrite("only the team's admin node can rotate the team key")
        }
        let previous = keyring.currentEpoch
        let epoch = max(previous, team.roster.teamKeys.epoch) + 1
        let key = SecureBytes.random(count: AEAD.keyBytes)
        var chain = team.roster.teamKeys.chain
        chain[epoch] = AEAD.seal(
            secret: keyring.currentTeamKey, key: key, associatedData: Self.chainData(team: team.team, epoch: epoch))
        let devices = team.roster.activeCertificates
        let sealedKeys = try Self.seal(key, to: devices)
        let roster = team.roster.distributing(TeamKeyDistribution(epoch: epoch, sealedKeys: sealedKeys, chain: chain))
        // The keyring first: a roster naming an epoch this node cannot open would lose the key.
        try keys.replace(with: keyring.adding(teamKey: key, epoch: epoch))
        let signed = roster.signed(adminKey.sign(roster.signedBytes))
        try database.writing { db in try saveTeam(signed, adminKey: team.adminKey, certificate: team.certificate, db) }
        return TeamKeyRotation(epoch: epoch, devices: devices.count)
    }

    /// Takes the team keys a roster hands this device: the newest sealed to its Noise key (or
    /// `key`, when it came another way), and every older one down the chain.
    func teamKeys(from distribution: TeamKeyDistribution, team: TeamID, newest key: SecureBytes? = nil) -> [UInt32: SecureBytes] {
        guard
            let newest = key
                ?? distribution.sealedKeys[keyring.device].flatMap({ try? SealedBox.open($0, with: keyring.noiseKey) })
        else { return [:] }
        var keys = [distribution.epoch: newest]
        var epoch = distribution.epoch
        while epoch > Self.firstTeamEpoch, keyring.teamKeys[epoch - 1] == nil, let link = distribution.chain[epoch],
            let older = try? AEAD.openSecret(link, key: keys[epoch]!, associatedData: Self.chainData(team: team, epoch: epoch))
        {
            epoch -= 1
            keys[epoch] = older
        }
        return keys
    }

    /// The team key sealed to each device's Noise key.
    static func seal(_ key: SecureBytes, to devices: [DeviceCertificate]) throws(StoreError) -> [DeviceID: [UInt8]] {
        var sealed: [DeviceID: [UInt8]] = [:]
        for device in devices {
            do { sealed[device.device] = try SealedBox.seal(key, to: device.noiseKey) } catch {
                throw .invalidWrite("the Noise key of device \(device.device) is unusable: \(error)")
            }
        }
        return sealed
    }

    private static func chainData(team: TeamID, epoch: UInt32) -> [UInt8] {
        var writer = BinaryWriter()
        writer.writeFixed("relais.team-key-chain.v1".utf8)
        writer.write(team.value)
        writer.write(epoch)
        return writer.bytes
    }
}

/// What `relais admin rotate-team-key` did.
public struct TeamKeyRotation: Codable, Hashable, Sendable {
    public let epoch: UInt32
    /// Devices the new key was sealed to: every device of the roster not revoked.
    public let devices: Int
}
