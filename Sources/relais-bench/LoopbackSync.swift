import Foundation

/// A laptop's `relais sync` against the hub's `relais serve` (a `DaemonProcess`), as in the field.
struct LoopbackSync {
    let relais: String
    let passphrase: String

    /// What one `relais sync` moved, with the peak memory of the client process.
    struct Session: Decodable {
        let changesReceived: Int
        let bytesSent: Int
        let bytesReceived: Int
        let durationMilliseconds: Int
        var peakKilobytes = 0

        enum CodingKeys: String, CodingKey {
            case changesReceived = "changes_received", bytesSent = "bytes_sent", bytesReceived = "bytes_received"
            case durationMilliseconds = "duration_milliseconds"
        }
    }

    func sync(_ data: String, port: Int) throws -> Session {
        let output = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: relais)
        process.arguments = ["sync", "--data", data, "--peer", "127.0.0.1:\(port)", "--json"]
        process.environment = ProcessInfo.processInfo.environment.merging(["RELAIS_PASSPHRASE": passphrase]) { $1 }
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The child's own high-water mark, read while it runs: getrusage(RUSAGE_CHILDREN) also
        // counted this benchmark's memory, which the child shares between fork and exec.
        let peak = PeakMemory(pid: process.processIdentifier)
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("relais sync exited \(process.terminationStatus)") }
        var session = try JSONDecoder().decode(Session.self, from: bytes)
        session.peakKilobytes = peak.stop()
        return session
    }
}

/// Polls a process's VmHWM (`/proc/PID/status`) every 20 ms until stopped; keeps the largest.
final class PeakMemory: @unchecked Sendable {
    private let lock = NSLock()
    private var peak = 0
    private var running = true

    init(pid: Int32) {
        Thread.detachNewThread { [self] in
            while lock.withLock({ running }) {
                if let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                    let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
                {
                    lock.withLock { peak = max(peak, kilobytes) }
                }
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }

    func stop() -> Int {
        lock.withLock {
            running = false
            return peak
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
