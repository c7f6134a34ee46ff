import Foundation
import RelaisCore
import SwiftProtobuf

extension VersionVector {
    var message: Relais_V1_Vector {
        var vector = Relais_V1_Vector()
        vector.entries = sortedEntries.map { entry in
            var message = Relais_V1_VectorEntry()
            message.origin = Data(entry.origin.value.bytes)
            message.sequence = entry.sequence
            return message
        }
        return vector
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
