import Foundation
import RelaisCore
import RelaisStore

/// Real `relais` processes syncing over loopback: the hub's `relais serve` and a laptop's
/// `relais sync`, as in the field.
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

    func serve(_ data: String, port: Int) throws -> Process {
        let process = try run(["serve", "--data", data, "--listen", "127.0.0.1:\(port)", "--no-discovery"])
        for _ in 0..<200 {
            if (try? sync(probe: port)) == true { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return process
    }

    func sync(_ data: String, port: Int) throws -> Session {
        let output = Pipe()
        let process = try run(["sync", "--data", data, "--peer", "127.0.0.1:\(port)", "--json"], output: output)
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("relais sync exited \(process.terminationStatus)") }
        var session = try JSONDecoder().decode(Session.self, from: bytes)
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        session.peakKilobytes = usage.ru_maxrss
        return session
    }

    /// Peak resident memory of a running process, from /proc.
    static func peakKilobytes(of process: Process) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    private func sync(probe port: Int) throws -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private func run(_ arguments: [String], output: Pipe? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: relais)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["RELAIS_PASSPHRASE": passphrase]) { $1 }
        process.standardOutput = output ?? FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
