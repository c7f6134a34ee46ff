import RelaisCore
import RelaisTestSupport
import Testing

@Suite struct ChangeEncodingTests {
    let digest: OperationDigest = { bytes in
        Array(bytes.reduce(into: [UInt8](repeating: 0, count: 32)) { $0[Int($1) % 32] &+= $1 })
    }

    func sampleChange() -> Change {
        var factory = ChangeFactory(originByte: 1)
        let person = ChangeFactory.recordID(1)
        let supersededDot = Dot(origin: factory.origin, sequence: 1, index: 0)
        return factory.make([
            Operation(person: person, record: person, body: .personKey(epoch: 2, wrappedKey: [1, 2, 3])),
            Operation(person: person, record: person, body: .createRecord(sealedType: [4, 5])),
            Operation(
                person: person, record: person,
                body: .setRegister(field: FieldToken(rawValue: 99), supersedes: [supersededDot], sealedValue: [6])),
            Operation(
                person: person, record: person,
                body: .setRegister(field: FieldToken(rawValue: 98), supersedes: [], sealedValue: nil)),
            Operation(person: person, record: person, body: .addElement(field: FieldToken(rawValue: 7), sealedElement: [8])),
            Operation(
                person: person, record: person, body: .removeElements(field: FieldToken(rawValue: 7), dots: [supersededDot])),
            Operation(person: person, record: person, body: .deleteRecord),
            Operation(person: person, record: person, body: .erasePerson),
        ])
    }

    @Test func everyOperationKindRoundTrips() throws {
        let change = sampleChange()
        #expect(try Change(decoding: change.encoded) == change)
    }

    @Test func everyTruncationIsRefused() {
        let bytes = sampleChange().encoded
        for length in 0..<bytes.count {
            #expect(throws: DecodingError.self) { try Change(decoding: Array(bytes.prefix(length))) }
        }
    }

    /// Found by the fuzz smoke run: a sequence above 2^63 − 1 trapped when SQLite stored it.
    @Test func sequencesBeyondWhatSQLiteHoldsAreRefused() throws {
        let beyond = Limits.sequenceMax + 1
        let origin = DeviceID(Identifier128(high: 1, low: 0))
        let person = ChangeFactory.recordID(1)
        let header = ChangeHeader(
            origin: origin, sequence: beyond, timestamp: HLCTimestamp(milliseconds: 1, counter: 0),
            dependencies: VersionVector())
        let change = Change(
            header: header, slots: [.operation(Operation(person: person, record: person, body: .deleteRecord))],
            signature: Array(repeating: 0, count: 64))
        #expect(throws: DecodingError.self) { try Change(decoding: change.encoded) }

        var vector = BinaryWriter()
        VersionVector([origin: beyond]).encode(into: &vector)
        var vectorReader = BinaryReader(vector.bytes)
        #expect(throws: DecodingError.self) { try VersionVector.decode(from: &vectorReader) }

        var dot = BinaryWriter()
        Dot(origin: origin, sequence: beyond, index: 0).encode(into: &dot)
        var dotReader = BinaryReader(dot.bytes)
        #expect(throws: DecodingError.self) { try Dot.decode(from: &dotReader) }

        var highest = BinaryWriter()
        VersionVector([origin: Limits.sequenceMax]).encode(into: &highest)
        var highestReader = BinaryReader(highest.bytes)
        #expect(try VersionVector.decode(from: &highestReader)[origin] == Limits.sequenceMax)
    }

    @Test func trailingBytesAreRefused() {
        #expect(throws: DecodingError.trailingBytes(1)) { try Change(decoding: sampleChange().encoded + [0]) }
    }

    @Test func anOversizedCountIsRefusedBeforeAllocating() {
        var writer = BinaryWriter()
        writer.write(UInt32.max)
        var reader = BinaryReader(writer.bytes)
        #expect(throws: DecodingError.tooLong(count: Int(UInt32.max), limit: Limits.changeOperationsMax)) {
            try reader.readCount(limit: Limits.changeOperationsMax, itemBytesMin: 5)
        }
    }

    @Test func redactionKeepsTheSignedBytes() throws {
        let change = sampleChange()
        let redacted = change.redacting([ChangeFactory.recordID(1)], digest: digest)
        #expect(redacted.redactedPersons == [ChangeFactory.recordID(1)])
        #expect(redacted.signingBytes(digest: digest) == change.signingBytes(digest: digest))
        #expect(try Change(decoding: redacted.encoded) == redacted)
    }

    @Test func theSignedBytesCoverTheHeader() {
        var one = ChangeFactory(originByte: 1)
        var other = ChangeFactory(originByte: 2)
        let person = ChangeFactory.recordID(1)
        let operation = Operation(person: person, record: person, body: .deleteRecord)
        #expect(one.make([operation]).signingBytes(digest: digest) != other.make([operation]).signingBytes(digest: digest))
    }
}

@Suite struct RedactionTests {
    /// Regression (convergence seed 12513324283169451883): a stored erasure redacted its own
    /// erase operation, so no peer could ever apply the changes waiting for it.
    @Test func anErasureIsNeverRedacted() {
        var factory = ChangeFactory(originByte: 1)
        let person = ChangeFactory.recordID(1)
        let change = factory.make([
            Operation(person: person, record: person, body: .deleteRecord),
            Operation(person: person, record: person, body: .erasePerson),
        ])
        let redacted = change.redacting([person]) { _ in Array(repeating: 0, count: 32) }
        #expect(redacted.slots[1] == change.slots[1])
        if case .redacted = redacted.slots[0] {} else { Issue.record("the delete was not redacted") }
    }
}

@Suite struct RosterEncodingTests {
    @Test func revocationsAreSignedAndRoundTrip() throws {
        let team = TeamID(Identifier128(high: 1, low: 1))
        let roster = Roster(team: team, version: 1, adminKey: Array(repeating: 3, count: 32), certificates: [], signature: [])
        let revoked = roster.revoking(DeviceID(Identifier128(high: 2, low: 2)), at: WallTime(milliseconds: 99), validThrough: 12)
        #expect(revoked.version == 2)
        #expect(revoked.signedBytes != roster.signedBytes)
        let signed = revoked.signed(Array(repeating: 7, count: 64))
        let decoded = try Roster(decoding: signed.encoded)
        #expect(decoded == signed)
        #expect(
            decoded.revocation(of: DeviceID(Identifier128(high: 2, low: 2)))
                == Revocation(at: WallTime(milliseconds: 99), validThrough: 12))
    }
}
