/// How the roster hands out the team key of its epoch: sealed to the Noise key of every device
/// that may read, and each earlier epoch's key sealed under the next one, so a device that holds
/// the newest key can open everything written before, and a revoked device gets nothing new.
///
/// The sealing itself is done by the store (this module does no cryptography); here the bytes
/// are only carried and encoded.
public struct TeamKeyDistribution: Hashable, Sendable {
    /// The newest team key epoch; new writes are sealed under it.
    public let epoch: UInt32
    /// The key of `epoch`, sealed to each device's Noise static key.
    public let sealedKeys: [DeviceID: [UInt8]]
    /// For each epoch `e` above the first, the key of `e - 1` sealed under the key of `e`.
    public let chain: [UInt32: [UInt8]]

    /// A distribution of the key of `epoch` and the chain to the keys before it.
    public init(epoch: UInt32, sealedKeys: [DeviceID: [UInt8]], chain: [UInt32: [UInt8]]) {
        self.epoch = epoch
        self.sealedKeys = sealedKeys
        self.chain = chain
    }

    func write(into writer: inout BinaryWriter) {
        writer.write(epoch)
        writer.write(UInt32(sealedKeys.count))
        for (device, sealed) in sealedKeys.sorted(by: { $0.key < $1.key }) {
            writer.write(device.value)
            writer.writeLengthPrefixed(sealed)
        }
        writer.write(UInt32(chain.count))
        for (epoch, sealed) in chain.sorted(by: { $0.key < $1.key }) {
            writer.write(epoch)
            writer.writeLengthPrefixed(sealed)
        }
    }

    init(reading reader: inout BinaryReader, devicesMax: Int) throws(DecodingError) {
        let epoch = try reader.readUInt32()
        var sealedKeys: [DeviceID: [UInt8]] = [:]
        for _ in 0..<(try reader.readCount(limit: devicesMax, itemBytesMin: 20)) {
            let device = DeviceID(try reader.readIdentifier())
            sealedKeys[device] = try reader.readLengthPrefixed(limit: Limits.sealedTeamKeyBytesMax)
        }
        var chain: [UInt32: [UInt8]] = [:]
        for _ in 0..<(try reader.readCount(limit: Limits.teamKeyEpochsMax, itemBytesMin: 8)) {
            let link = try reader.readUInt32()
            guard link >= 2, link <= epoch else { throw .malformed("a key chain link outside the roster's epochs") }
            chain[link] = try reader.readLengthPrefixed(limit: Limits.sealedTeamKeyBytesMax)
        }
        self.init(epoch: epoch, sealedKeys: sealedKeys, chain: chain)
    }
}
