import RelaisCore

/// Collects the operations of one local transaction and the dots they depend on.
struct ChangeBuilder {
    let origin: DeviceID
    let sequence: UInt64
    let timestamp: HLCTimestamp
    private(set) var operations: [Operation] = []
    private(set) var dependencies: [Dot] = []

    init(origin: DeviceID, sequence: UInt64, timestamp: HLCTimestamp) {
        self.origin = origin
        self.sequence = sequence
        self.timestamp = timestamp
    }

    /// The dot the next appended operation will have, which its sealed value is bound to.
    var nextDot: Dot { Dot(origin: origin, sequence: sequence, index: UInt32(operations.count)) }

    mutating func append(_ operation: Operation, dependingOn dots: [Dot] = []) {
        operations.append(operation)
        dependencies.append(contentsOf: dots.filter { $0.origin != origin || $0.sequence != sequence })
    }

    var header: ChangeHeader {
        ChangeHeader(
            origin: origin, sequence: sequence, timestamp: timestamp, dependencies: VersionVector(covering: dependencies))
    }
}
