import Foundation
import RelaisFuzz
import RelaisTestSupport
import Testing

/// A short run of every fuzz target inside `make test`: the committed corpus (seeds, and the
/// regression inputs of crashes libFuzzer found), then seeded mutations of it. `make fuzz` runs
/// the same targets under libFuzzer and AddressSanitizer.
@Suite("Fuzz targets (smoke)")
struct FuzzSmokeTests {
    static let mutationsPerTarget = ProcessInfo.processInfo.environment["RELAIS_FUZZ_SMOKE_RUNS"].flatMap(Int.init) ?? 400

    @Test("the committed corpus still gets through: each target accepts seeds", arguments: FuzzTarget.allCases)
    func corpus(target: FuzzTarget) throws {
        let inputs = try Self.corpus(of: target)
        let seeds = inputs.filter { $0.key.hasPrefix("seed-") }
        #expect(!seeds.isEmpty, "relais-fuzz seed writes Tests/RelaisFuzzTests/Corpus")
        #expect(seeds.values.contains { target.run($0) == .accepted }, "no seed of \(target) gets through any more")
        for (name, input) in inputs where !name.hasPrefix("seed-") { _ = target.run(input) }
    }

    @Test("mutated inputs are refused or accepted, never a crash", arguments: FuzzTarget.allCases)
    func mutations(target: FuzzTarget) throws {
        let corpus = Array(try Self.corpus(of: target).values)
        try #require(!corpus.isEmpty, "relais-fuzz seed writes Tests/RelaisFuzzTests/Corpus")
        var generator = SeededGenerator(seed: UInt64(target.rawValue.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
        var outcomes: [FuzzOutcome: Int] = [:]
        for _ in 0..<Self.mutationsPerTarget {
            let input = Mutator.mutate(corpus.randomElement(using: &generator)!, splicing: corpus, using: &generator)
            outcomes[target.run(input), default: 0] += 1
        }
        #expect(outcomes[.rejected, default: 0] > 0, "mutations that never fail do not test the refusals")
    }

    /// Every file of the target's committed corpus, by name.
    static func corpus(of target: FuzzTarget) throws -> [String: [UInt8]] {
        let folder = try #require(Bundle.module.url(forResource: "Corpus", withExtension: nil))
            .appendingPathComponent(target.rawValue)
        var inputs: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            inputs[name] = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
        }
        return inputs
    }
}

/// libFuzzer's simplest mutations: flipped bits, changed bytes, cuts, insertions, splices.
enum Mutator {
    static func mutate(_ input: [UInt8], splicing corpus: [[UInt8]], using generator: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &generator)
            switch Int.random(in: 0..<5, using: &generator) {
            case 0 where !bytes.isEmpty: bytes[position] ^= 1 << UInt8.random(in: 0..<8, using: &generator)
            case 1 where !bytes.isEmpty: bytes[position] = UInt8.random(in: 0...255, using: &generator)
            case 2: bytes = Array(bytes.prefix(position))
            case 3:
                let count = Int.random(in: 1...8, using: &generator)
                bytes.insert(contentsOf: (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }, at: position)
            default:
                let other = corpus.randomElement(using: &generator)!
                bytes = Array(bytes.prefix(position)) + other.suffix(Int.random(in: 0...other.count, using: &generator))
            }
        }
        return bytes
    }
}
