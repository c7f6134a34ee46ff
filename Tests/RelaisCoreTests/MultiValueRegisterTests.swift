import RelaisCore
import Testing

@Suite struct MultiValueRegisterTests {
    func dot(_ origin: UInt64, _ sequence: UInt64) -> Dot {
        Dot(origin: DeviceID(Identifier128(high: origin, low: 0)), sequence: sequence, index: 0)
    }

    func entry(_ origin: UInt64, _ sequence: UInt64, at milliseconds: UInt64, _ value: UInt8?) -> RegisterEntry {
        RegisterEntry(
            dot: dot(origin, sequence), timestamp: HLCTimestamp(milliseconds: milliseconds, counter: 0),
            sealedValue: value.map { [$0] })
    }

    @Test func concurrentWritesAreAllKept() {
        var register = MultiValueRegister()
        register.apply(entry(1, 1, at: 10, 1), supersedes: [])
        register.apply(entry(2, 1, at: 5, 2), supersedes: [])
        #expect(register.entries.count == 2)
        #expect(register.winner?.sealedValue == [1])
    }

    @Test func aWriteSupersedesExactlyWhatItsAuthorSaw() {
        var register = MultiValueRegister()
        register.apply(entry(1, 1, at: 10, 1), supersedes: [])
        register.apply(entry(2, 1, at: 11, 2), supersedes: [])
        register.apply(entry(1, 2, at: 3, 3), supersedes: [dot(1, 1)])
        #expect(register.entries.map(\.sealedValue) == [[3], [2]])
    }

    @Test func causalityNotTheWallClockDecides() {
        var register = MultiValueRegister()
        register.apply(entry(1, 1, at: 1_000, 1), supersedes: [])
        register.apply(entry(2, 1, at: 1, 2), supersedes: [dot(1, 1)])
        #expect(register.entries.count == 1)
        #expect(register.winner?.sealedValue == [2])
    }

    @Test func applyingTwiceChangesNothing() {
        var register = MultiValueRegister()
        register.apply(entry(1, 1, at: 10, 1), supersedes: [])
        let once = register
        register.apply(entry(1, 1, at: 10, 1), supersedes: [])
        #expect(register == once)
    }

    @Test func theWinnerTieBreaksOnDevice() {
        var forward = MultiValueRegister()
        forward.apply(entry(1, 1, at: 10, 1), supersedes: [])
        forward.apply(entry(2, 1, at: 10, 2), supersedes: [])
        var backward = MultiValueRegister()
        backward.apply(entry(2, 1, at: 10, 2), supersedes: [])
        backward.apply(entry(1, 1, at: 10, 1), supersedes: [])
        #expect(forward == backward)
        #expect(forward.winner?.sealedValue == [2])
    }

    @Test func encodingRoundTrips() throws {
        var register = MultiValueRegister()
        register.apply(entry(1, 1, at: 10, 1), supersedes: [])
        register.apply(entry(2, 1, at: 12, nil), supersedes: [])
        #expect(try MultiValueRegister(decoding: register.encoded) == register)
    }
}

@Suite struct AddWinsSetTests {
    let tag1 = Dot(origin: DeviceID(Identifier128(high: 1, low: 0)), sequence: 1, index: 0)
    let tag2 = Dot(origin: DeviceID(Identifier128(high: 2, low: 0)), sequence: 1, index: 0)

    @Test func aConcurrentAddSurvivesARemove() {
        var set = AddWinsSet()
        set.add([1], tag: tag1)
        set.add([1], tag: tag2)
        set.remove([tag1])
        #expect(set.elements.values.map { $0 } == [[1]])
    }

    @Test func encodingRoundTrips() throws {
        var set = AddWinsSet()
        set.add([7, 8], tag: tag1)
        set.add([9], tag: tag2)
        #expect(try AddWinsSet(decoding: set.encoded) == set)
    }
}
