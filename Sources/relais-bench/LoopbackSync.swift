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
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("relais sync exited \(process.terminationStatus)") }
        var session = try JSONDecoder().decode(Session.self, from: bytes)
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        session.peakKilobytes = usage.ru_maxrss
        return session
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
