import RelaisCore

/// Builds unsigned-but-well-formed changes for Core tests, where signatures are the caller's job.
public struct ChangeFactory {
    public let origin: DeviceID
    public private(set) var sequence: UInt64 = 0
    public var timestamp = HLCTimestamp(milliseconds: 1_000, counter: 0)

    public init(origin: DeviceID) { self.origin = origin }

    public init(originByte: UInt8) {
        self.init(origin: DeviceID(Identifier128(high: UInt64(originByte), low: 0)))
    }

    /// The next change of this origin, depending on `dependencies`.
    public mutating func make(_ operations: [Operation], dependingOn dependencies: [Dot] = []) -> Change {
        sequence += 1
        timestamp = HLCTimestamp(milliseconds: timestamp.milliseconds + 1, counter: 0)
        let header = ChangeHeader(
            origin: origin, sequence: sequence, timestamp: timestamp, dependencies: VersionVector(covering: dependencies))
        return Change(header: header, slots: operations.map(OperationSlot.operation), signature: Array(repeating: 0, count: 64))
    }

    /// The dot operation `index` of the last change made has.
    public func dot(_ index: UInt32) -> Dot { Dot(origin: origin, sequence: sequence, index: index) }

    public static func recordID(_ byte: UInt8) -> RecordID { RecordID(Identifier128(high: 0, low: UInt64(byte))) }
}
