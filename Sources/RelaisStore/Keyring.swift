import RelaisCore
import RelaisCrypto

/// A device's secrets: its signing key, the team keys by epoch, and the key of its local
/// search index. Held in guarded memory for as long as the replica is open.
public final class Keyring: Sendable {
    public let device: DeviceID
    public let deviceName: String
    let signingKey: SigningKey
    /// The static key this device proves in Noise handshakes; its certificate names it.
    public let noiseKey: X25519KeyPair
    /// Team keys by epoch; new person keys are wrapped, and new values sealed, under the newest.
    let teamKeys: [UInt32: SecureBytes]
    /// Never leaves the device: the search index is rebuilt, not synced.
    let searchKey: SecureBytes
    /// The team admin's signing key, on the node that created the team.
    let adminKey: SigningKey?

    init(
        device: DeviceID, deviceName: String, signingKey: SigningKey, noiseKey: X25519KeyPair, teamKeys: [UInt32: SecureBytes],
        searchKey: SecureBytes, adminKey: SigningKey?
    ) {
        precondition(!teamKeys.isEmpty, "a keyring holds at least one team key")
        self.device = device
        self.deviceName = deviceName
        self.signingKey = signingKey
        self.noiseKey = noiseKey
        self.teamKeys = teamKeys
        self.searchKey = searchKey
        self.adminKey = adminKey
    }

    /// A new device with its own team key of epoch 0, until it creates or joins a team.
    public static func generate(deviceName: String) -> Keyring {
        Keyring(
            device: DeviceID(RandomBytes.identifier()), deviceName: deviceName, signingKey: .generate(), noiseKey: .generate(),
            teamKeys: [0: .random(count: AEAD.keyBytes)], searchKey: .random(count: AEAD.keyBytes), adminKey: nil)
    }

    /// A device sharing `teamKey` with others, as the team's devices do.
    public static func generate(deviceName: String, sharingTeamKeyOf other: Keyring) -> Keyring {
        Keyring(
            device: DeviceID(RandomBytes.identifier()), deviceName: deviceName, signingKey: .generate(), noiseKey: .generate(),
            teamKeys: other.teamKeys, searchKey: .random(count: AEAD.keyBytes), adminKey: nil)
    }

    /// The same keyring with another team key epoch and, for a team's creator, its admin key.
    func adding(teamKey: SecureBytes, epoch: UInt32, adminKey: SigningKey? = nil) -> Keyring {
        adding(teamKeys: [epoch: teamKey], adminKey: adminKey)
    }

    /// The same keyring with more team key epochs.
    func adding(teamKeys added: [UInt32: SecureBytes], adminKey: SigningKey? = nil) -> Keyring {
        let keys = teamKeys.merging(added) { held, _ in held }
        return Keyring(
            device: device, deviceName: deviceName, signingKey: signingKey, noiseKey: noiseKey, teamKeys: keys,
            searchKey: searchKey, adminKey: adminKey ?? self.adminKey)
    }

    public var signingPublicKey: [UInt8] { signingKey.publicKey }

    var currentEpoch: UInt32 { teamKeys.keys.max()! }
    var currentTeamKey: SecureBytes { teamKeys[currentEpoch]! }
}
