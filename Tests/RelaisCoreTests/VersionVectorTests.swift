import PropertyBased
import RelaisCore
import Testing

@Suite struct VersionVectorTests {
    let a = DeviceID(Identifier128(high: 1, low: 0))
    let b = DeviceID(Identifier128(high: 2, low: 0))

    @Test func dominanceIsPointwise() {
        let small = VersionVector([a: 2])
        let large = VersionVector([a: 3, b: 1])
        #expect(large.dominates(small))
        #expect(!small.dominates(large))
        #expect(small.dominates(VersionVector()))
    }

    @Test func missingListsWhatTheOtherLacks() {
        let mine = VersionVector([a: 5, b: 2])
        let theirs = VersionVector([a: 3, b: 2])
        let missing = mine.missing(from: theirs)
        #expect(missing.count == 1)
        #expect(missing[0].origin == a && missing[0].after == 3 && missing[0].through == 5)
    }

    @Test func encodingRoundTripsAndRejectsDuplicates() throws {
        let vector = VersionVector([a: 9, b: 4])
        var writer = BinaryWriter()
        vector.encode(into: &writer)
        var reader = BinaryReader(writer.bytes)
        #expect(try VersionVector.decode(from: &reader) == vector)

        var duplicated = BinaryWriter()
        duplicated.write(UInt32(2))
        for _ in 0..<2 {
            duplicated.write(a.value)
            duplicated.write(UInt64(1))
        }
        var badReader = BinaryReader(duplicated.bytes)
        #expect(throws: DecodingError.self) { try VersionVector.decode(from: &badReader) }
    }

    @Test func mergingIsCommutativeAssociativeAndIdempotent() async {
        let entry = Gen.int(in: 0...20)
        let vector = zip(entry, entry, entry).map { x, y, z in
            VersionVector([
                DeviceID(Identifier128(high: 1, low: 0)): UInt64(x), DeviceID(Identifier128(high: 2, low: 0)): UInt64(y),
                DeviceID(Identifier128(high: 3, low: 0)): UInt64(z),
            ])
        }
        await propertyCheck(input: vector, vector, vector) { x, y, z in
            #expect(x.merging(y) == y.merging(x))
            #expect(x.merging(y).merging(z) == x.merging(y.merging(z)))
            #expect(x.merging(x) == x)
            #expect(x.merging(y).dominates(x))
        }
    }
}
