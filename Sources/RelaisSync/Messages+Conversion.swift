import Foundation
import RelaisCore
import SwiftProtobuf

extension VersionVector {
    var message: Relais_V1_Vector { message(heads: []) }

    /// With the head of each entry this node can name (SPEC.md §11).
    func message(heads: [ChangeHead]) -> Relais_V1_Vector {
        let named = Dictionary(heads.map { ($0.origin, $0) }) { first, _ in first }
        var vector = Relais_V1_Vector()
        vector.entries = sortedEntries.map { entry in
            var message = Relais_V1_VectorEntry()
            message.origin = Data(entry.origin.value.bytes)
            message.sequence = entry.sequence
            if let head = named[entry.origin], head.sequence == entry.sequence { message.head = Data(head.head) }
            return message
        }
        return vector
    }

    /// The heads a peer's vector names; entries without one, or with a malformed one, name none.
    static func heads(of message: Relais_V1_Vector) -> [ChangeHead] {
        message.entries.compactMap { entry in
            guard entry.origin.count == 16, entry.head.count == ChangeHead.bytes else { return nil }
            return ChangeHead(
                origin: DeviceID(Identifier128(bytes: [UInt8](entry.origin))), sequence: entry.sequence,
                head: [UInt8](entry.head))
        }
    }

    init(_ message: Relais_V1_Vector) throws(DecodingError) {
        guard message.entries.count <= RelaisCore.Limits.vectorOriginsMax else {
            throw .tooLong(count: message.entries.count, limit: RelaisCore.Limits.vectorOriginsMax)
        }
        var entries: [DeviceID: UInt64] = [:]
        for entry in message.entries {
            guard entry.origin.count == 16 else { throw .malformed("a device id has 16 bytes") }
            guard entry.sequence <= RelaisCore.Limits.sequenceMax else {
                throw .malformed("sequence number \(entry.sequence) is beyond 2^63 - 1")
            }
            entries[DeviceID(Identifier128(bytes: [UInt8](entry.origin)))] = entry.sequence
        }
        self.init(entries)
    }
}

extension EnrolmentGrant {
    var message: Relais_V1_EnrolGrant {
        var message = Relais_V1_EnrolGrant()
        message.certificate = Data(certificate.encoded)
        message.roster = Data(roster.encoded)
        message.teamKeyEpoch = teamKeyEpoch
        message.sealedTeamKey = Data(sealedTeamKey)
        return message
    }

    init(_ message: Relais_V1_EnrolGrant) throws(DecodingError) {
        self.init(
            certificate: try DeviceCertificate(decoding: [UInt8](message.certificate)),
            roster: try Roster(decoding: [UInt8](message.roster)), teamKeyEpoch: message.teamKeyEpoch,
            sealedTeamKey: [UInt8](message.sealedTeamKey))
    }
}

extension Relais_V1_Envelope {
    init(_ body: OneOf_Body) {
        self.init()
        self.body = body
    }

    var bytes: [UInt8] {
        // Serialising a message built in memory cannot fail.
        try! serializedBytes()
    }
}
