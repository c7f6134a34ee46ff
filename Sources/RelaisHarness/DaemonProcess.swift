import Foundation

/// A `relais serve` process on loopback, stopped with SIGTERM when released.
public final class DaemonProcess {
    public let port: Int
    public let logPath: String
    private let process = Process()

    /// Starts the daemon and waits until it accepts connections; with `discovery`, it announces
    /// itself and finds peers over multicast on the loopback interface only. `environment` adds to
    /// the test's own (a clock offset, for instance).
    /// `port` reuses a port, to restart a daemon where its peers know it; `arguments` go to
    /// `relais serve` as they are (`--metrics`, say). The app is off unless they give `--ui`.
    public init(
        data: String, port: Int? = nil, peers: [String] = [], discovery: Bool = false, passphrase: String = "test passphrase",
        logFolder: String, environment added: [String: String] = [:], arguments: [String] = []
    )
        throws
    {
        self.port = try port ?? FreePort.find()
        logPath = logFolder + "/daemon-\(self.port)-\(UInt32.random(in: 0...UInt32.max)).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: RelaisProcess.executable)
        process.arguments =
            ["serve", "--data", data, "--listen", "127.0.0.1:\(self.port)"] + peers.flatMap { ["--peer", $0] }
            + (discovery ? ["--discovery-interface", "127.0.0.1"] : ["--no-discovery"])
            + (arguments.contains("--ui") ? [] : ["--no-ui"]) + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["RELAIS_PASSPHRASE"] = passphrase
        process.environment = environment.merging(RelaisProcess.withoutBacktracer) { $1 }.merging(added) { $1 }
        process.standardOutput = FileHandle(forWritingAtPath: logPath)
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
        for _ in 0..<100 where !FreePort.isListening(self.port) {
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    public var address: String { "127.0.0.1:\(port)" }
    public var isRunning: Bool { process.isRunning }
    /// The most memory the daemon has held so far (VmHWM), in kilobytes.
    public var peakResidentKilobytes: Int {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Whether the log shows `text` within `seconds`: a session's line is written as its
    /// connection closes, so a client that saw the close may read the log a moment too early.
    public func logShows(_ text: String, within seconds: Double = 5) -> Bool {
        for _ in 0..<Int(seconds * 20) {
            if log.contains(text) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return log.contains(text)
    }

    /// Sends SIGTERM and waits for a graceful exit; returns the exit status.
    @discardableResult
    public func stop() -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Sends `signal` and waits for the daemon to exit; returns the exit status.
    @discardableResult
    public func stop(with signal: Int32) -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        Glibc.kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGKILL: the daemon dies at once, wherever it was (in a transaction, mid-frame).
    public func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// Loopback ports for test daemons.
public enum FreePort {
    /// A port the kernel just handed out on 127.0.0.1 and released.
    public static func find() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    public static func isListening(_ port: Int) -> Bool {
        guard let socket = connectedSocket(to: port) else { return false }
        close(socket)
        return true
    }

    /// A TCP connection to 127.0.0.1:`port`, or nil when refused; the caller closes it.
    public static func connectedSocket(to port: Int) -> Int32? {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = loopback(port: port)
        let connected = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            close(socket)
            return nil
        }
        return socket
    }

    /// Sends raw bytes to a port and reports whether the peer closed the connection within 15 s.
    public static func sendRaw(_ bytes: [UInt8], to port: Int) -> Bool {
        guard let socket = connectedSocket(to: port) else { return false }
        defer { close(socket) }
        _ = bytes.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, 0) }
        var timeout = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 1_024)
        while true {
            let received = recv(socket, &buffer, buffer.count, 0)
            if received == 0 { return true }
            if received < 0 { return errno == ECONNRESET }
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
