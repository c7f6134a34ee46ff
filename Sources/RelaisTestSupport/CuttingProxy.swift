import Foundation

/// A TCP proxy on loopback that forwards one connection to `target` and cuts it after
/// `cutAfterBytes` bytes have crossed it (both directions together).
public final class CuttingProxy: @unchecked Sendable {
    public let port: Int
    private let listener: Int32
    private let target: Int
    private let cutAfterBytes: Int
    private let lock = NSLock()
    private var forwarded = 0
    private var finished = false

    public init(target: Int, cutAfterBytes: Int) throws {
        self.target = target
        self.cutAfterBytes = cutAfterBytes
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

    private func pump(from source: Int32, to destination: Int32) {
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let received = recv(source, &buffer, buffer.count, 0)
            guard received > 0 else { break }
            let allowed: Int = lock.withLock {
                let allowed = finished ? 0 : min(received, cutAfterBytes - forwarded)
                forwarded += allowed
                return allowed
            }
            if allowed > 0 { _ = buffer.withUnsafeBytes { send(destination, $0.baseAddress, allowed, Int32(MSG_NOSIGNAL)) } }
            if allowed < received { break }
        }
        lock.withLock { finished = true }
        shutdown(source, Int32(SHUT_RDWR))
        shutdown(destination, Int32(SHUT_RDWR))
    }
}
