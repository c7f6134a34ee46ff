import Foundation

/// Wall time of `body`, in seconds.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    return seconds(since: start)
}

/// Wall time of `body`, in seconds.
func secondsAwaiting(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    return seconds(since: start)
}

private func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// One line of the table: Relais's figure, the baseline's from the same run, and their ratio.
struct BenchRow {
    let measurement: String
    let relais: String
    let baseline: String
    let ratio: String

    init(_ measurement: String, relais: String, baseline: String = "—", ratio: String = "—") {
        self.measurement = measurement
        self.relais = relais
        self.baseline = baseline
        self.ratio = ratio
    }

    /// A rate against a baseline rate, higher being better.
    init(_ measurement: String, rate: Double, unit: String, baselineRate: Double, baselineName: String) {
        self.init(
            measurement, relais: String(format: "%.0f %@", rate, unit),
            baseline: String(format: "%.0f %@ (%@)", baselineRate, unit, baselineName),
            ratio: String(format: "%.3f×", rate / baselineRate))
    }

    var markdown: String { "| \(measurement) | \(relais) | \(baseline) | \(ratio) |" }
}
