import Foundation

/// The seeds a randomized test runs: `RELAIS_SEED=n` replays one, `RELAIS_SEEDS=n` runs n.
public enum Seeds {
    public static func forTest(defaultCount: Int) -> [UInt64] {
        let environment = ProcessInfo.processInfo.environment
        if let seed = environment["RELAIS_SEED"].flatMap(UInt64.init) { return [seed] }
        let count = environment["RELAIS_SEEDS"].flatMap(Int.init) ?? defaultCount
        return (1...UInt64(count)).map { $0 &* 0x2545_F491_4F6C_DD1D }
    }
}
