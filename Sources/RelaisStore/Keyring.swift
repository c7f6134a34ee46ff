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
    /// The identity this device asked the admin to certify (`relais rotate-device-key`), kept until
    /// the certificate comes back, so an interrupted key change is retried with the same keys.
    let pendingIdentity: PendingIdentity?

    init(
        device: DeviceID, deviceName: String, signingKey: SigningKey, noiseKey: X25519KeyPair, teamKeys: [UInt32: SecureBytes],
        searchKey: SecureBytes, adminKey: SigningKey?, pendingIdentity: PendingIdentity? = nil
    ) {
        precondition(!teamKeys.isEmpty, "a keyring holds at least one team key")
        self.device = device
        self.deviceName = deviceName
        self.signingKey = signingKey
        self.noiseKey = noiseKey
        self.teamKeys = teamKeys
        self.searchKey = searchKey
        self.adminKey = adminKey
        self.pendingIdentity = pendingIdentity
    }

    /// A new device with its own team key of epoch 0, until it creates or joins a team.
    public static func generate(deviceName: String, device: DeviceID = DeviceID(RandomBytes.identifier())) -> Keyring {
        Keyring(
            device: device, deviceName: deviceName, signingKey: .generate(), noiseKey: .generate(),
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
            searchKey: searchKey, adminKey: adminKey ?? self.adminKey, pendingIdentity: pendingIdentity)
    }

    /// The same keyring with a new identity waiting to be certified.
    func pending(_ identity: PendingIdentity) -> Keyring {
        Keyring(
            device: device, deviceName: deviceName, signingKey: signingKey, noiseKey: noiseKey, teamKeys: teamKeys,
            searchKey: searchKey, adminKey: adminKey, pendingIdentity: identity)
    }

    /// The keyring of the certified pending identity: the old signing and Noise keys are gone.
    func adoptingPendingIdentity() -> Keyring? {
        guard let pendingIdentity else { return nil }
        return Keyring(
            device: pendingIdentity.device, deviceName: deviceName, signingKey: pendingIdentity.signingKey,
            noiseKey: pendingIdentity.noiseKey, teamKeys: teamKeys, searchKey: searchKey, adminKey: adminKey)
    }

    public var signingPublicKey: [UInt8] { signingKey.publicKey }

    var currentEpoch: UInt32 { teamKeys.keys.max()! }
    var currentTeamKey: SecureBytes { teamKeys[currentEpoch]! }
}

/// New keys under a new device id, waiting for the admin's certificate.
struct PendingIdentity: Sendable {
    let device: DeviceID
    let signingKey: SigningKey
    let noiseKey: X25519KeyPair

    static func generate() -> PendingIdentity {
        PendingIdentity(device: DeviceID(RandomBytes.identifier()), signingKey: .generate(), noiseKey: .generate())
    }
}
