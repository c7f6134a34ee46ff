import RelaisCore
import RelaisCrypto

/// A device's secrets: its signing key, the team keys by epoch, and the key of its local
/// search index. Held in guarded memory for as long as the replica is open.
public final class Keyring: Sendable {
    public let device: DeviceID
    public let deviceName: String
    let signingKey: SigningKey
    /// Team keys by epoch; person keys are wrapped under the newest.
    let teamKeys: [UInt32: SecureBytes]
    /// Never leaves the device: the search index is rebuilt, not synced.
    let searchKey: SecureBytes

    init(device: DeviceID, deviceName: String, signingKey: SigningKey, teamKeys: [UInt32: SecureBytes], searchKey: SecureBytes) {
        precondition(!teamKeys.isEmpty, "a keyring holds at least one team key")
        self.device = device
        self.deviceName = deviceName
        self.signingKey = signingKey
        self.teamKeys = teamKeys
        self.searchKey = searchKey
    }

    /// A new device with its own team key of epoch 0, until it joins a team.
    public static func generate(deviceName: String) -> Keyring {
        Keyring(
            device: DeviceID(RandomBytes.identifier()), deviceName: deviceName, signingKey: .generate(),
            teamKeys: [0: .random(count: AEAD.keyBytes)], searchKey: .random(count: AEAD.keyBytes))
    }

    /// A device sharing `teamKey` with others, as the team's devices do.
    public static func generate(deviceName: String, sharingTeamKeyOf other: Keyring) -> Keyring {
        Keyring(
            device: DeviceID(RandomBytes.identifier()), deviceName: deviceName, signingKey: .generate(),
            teamKeys: other.teamKeys, searchKey: .random(count: AEAD.keyBytes))
    }

    public var signingPublicKey: [UInt8] { signingKey.publicKey }

    var currentEpoch: UInt32 { teamKeys.keys.max()! }
    var currentTeamKey: SecureBytes { teamKeys[currentEpoch]! }
}
