import Foundation

/// A TCP proxy on loopback that forwards one connection to `target` through a poor link: it can
/// cut the connection after some bytes, flip bytes at given offsets, throttle to a rate, and delay
/// every chunk (offsets count both directions together).
public final class FaultProxy: @unchecked Sendable {
    public struct Faults: Sendable {
        public var cutAfterBytes: Int?
        public var flipAtBytes: Set<Int> = []
        /// Each direction's rate, in bytes per second.
        public var bytesPerSecond: Int?
        /// Added to every chunk, each way: half a round trip.
        public var delay: Duration = .zero

        public init(cutAfterBytes: Int? = nil, flipAtBytes: Set<Int> = [], bytesPerSecond: Int? = nil, delay: Duration = .zero) {
            self.cutAfterBytes = cutAfterBytes
            self.flipAtBytes = flipAtBytes
            self.bytesPerSecond = bytesPerSecond
            self.delay = delay
        }
    }

    public let port: Int
    private let listener: Int32
    private let target: Int
    private let faults: Faults
    private let lock = NSLock()
    private var forwarded = 0
    private var finished = false

    public convenience init(target: Int, cutAfterBytes: Int) throws {
        try self.init(target: target, faults: Faults(cutAfterBytes: cutAfterBytes))
    }

    public init(target: Int, faults: Faults) throws {
        self.target = target
        self.faults = faults
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 4) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in serveOne() }
    }

    deinit { close(listener) }

    private func serveOne() {
        let client = accept(listener, nil, nil)
        guard client >= 0 else { return }
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(target).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            close(client)
            close(upstream)
            return
        }
        let done = DispatchGroup()
        for (from, to) in [(client, upstream), (upstream, client)] {
            done.enter()
            Thread.detachNewThread { [self] in
                pump(from: from, to: to)
                done.leave()
            }
        }
        done.wait()
        close(client)
        close(upstream)
    }

    /// Reads on this thread and writes on another, so that a delay is a latency (chunks in flight
    /// overlap) and a rate a rate, as on a real link.
    private func pump(from source: Int32, to destination: Int32) {
        let line = Line()
        let writer = Thread { [self] in
            var sendable = ContinuousClock.now
            while let (received, chunk) = line.next() {
                let due = received + faults.delay
                if let rate = faults.bytesPerSecond {
                    sendable = max(sendable, due) + .seconds(Double(chunk.count) / Double(rate))
                } else {
                    sendable = due
                }
                if sendable > .now { Thread.sleep(forTimeInterval: Self.seconds(sendable - .now)) }
                _ = chunk.withUnsafeBytes { send(destination, $0.baseAddress, chunk.count, Int32(MSG_NOSIGNAL)) }
            }
            shutdown(destination, Int32(SHUT_RDWR))
        }
        writer.start()
        var buffer = [UInt8](repeating: 0, count: faults.bytesPerSecond == nil ? 4_096 : 512)
        while true {
            let received = recv(source, &buffer, buffer.count, 0)
            guard received > 0 else { break }
            let (start, allowed): (Int, Int) = lock.withLock {
                let limit = faults.cutAfterBytes.map { $0 - forwarded } ?? received
                let allowed = finished ? 0 : max(0, min(received, limit))
                defer { forwarded += allowed }
                return (forwarded, allowed)
            }
            var chunk = Array(buffer[0..<allowed])
            for offset in start..<(start + allowed) where faults.flipAtBytes.contains(offset) { chunk[offset - start] ^= 0x5A }
            if allowed > 0 { line.append(chunk) }
            if allowed < received { break }
        }
        lock.withLock { finished = true }
        line.close()
        shutdown(source, Int32(SHUT_RDWR))
        while !writer.isFinished { Thread.sleep(forTimeInterval: 0.01) }
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The chunks read and not yet written, with the time each was read.
    private final class Line: @unchecked Sendable {
        private let condition = NSCondition()
        private var chunks: [(ContinuousClock.Instant, [UInt8])] = []
        private var isClosed = false

        func append(_ chunk: [UInt8]) {
            condition.withLock {
                chunks.append((.now, chunk))
                condition.signal()
            }
        }

        func close() {
            condition.withLock {
                isClosed = true
                condition.signal()
            }
        }

        func next() -> (ContinuousClock.Instant, [UInt8])? {
            condition.withLock {
                while chunks.isEmpty && !isClosed { condition.wait() }
                return chunks.isEmpty ? nil : chunks.removeFirst()
            }
        }
    }
}
