import Foundation
import RelaisSync

/// UDP multicast announcements on the local network: sends ours every few seconds and reports
/// the sender address of every valid announcement heard.
///
/// Blocking sockets on their own threads: two small datagram loops, kept off the event loops.
public final class DiscoveryBeacon: @unchecked Sendable {
    public struct Heard: Sendable {
        public let announcement: Announcement
        public let host: String
    }

    private let receiver: Int32
    private let sender: Int32
    private let group: sockaddr_in
    private let stopped = NSLock()
    private var isStopped = false

    /// - Parameters:
    ///   - group: the multicast group (239.255.0.0/16 is organisation-local).
    ///   - interface: the local address whose interface carries the announcements.
    /// - Throws: `DiscoveryError` when the sockets cannot be set up.
    public init(group groupAddress: String, port: Int, interface: String) throws(DiscoveryError) {
        let receiver = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        let sender = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        self.receiver = receiver
        self.sender = sender
        var one: Int32 = 1
        setsockopt(receiver, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(receiver, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size))
        var any = Self.address(host: "0.0.0.0", port: port)
        let bound = withUnsafePointer(to: &any) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(receiver, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw .setup("cannot bind UDP port \(port)") }
        var membership = ip_mreq(
            imr_multiaddr: in_addr(s_addr: inet_addr(groupAddress)), imr_interface: in_addr(s_addr: inet_addr(interface)))
        guard setsockopt(receiver, Int32(IPPROTO_IP), IP_ADD_MEMBERSHIP, &membership, socklen_t(MemoryLayout<ip_mreq>.size)) == 0
        else {
            throw .setup("cannot join multicast group \(groupAddress) on \(interface)")
        }
        var outgoing = in_addr(s_addr: inet_addr(interface))
        setsockopt(sender, Int32(IPPROTO_IP), IP_MULTICAST_IF, &outgoing, socklen_t(MemoryLayout<in_addr>.size))
        var hops: UInt8 = 1
        setsockopt(sender, Int32(IPPROTO_IP), IP_MULTICAST_TTL, &hops, socklen_t(MemoryLayout<UInt8>.size))
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(receiver, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        group = Self.address(host: groupAddress, port: port)
    }

    deinit {
        close(receiver)
        close(sender)
    }

    /// Sends one announcement; a network without a multicast route just drops it.
    public func announce(_ announcement: Announcement) {
        var destination = group
        _ = announcement.encoded.withUnsafeBytes { bytes in
            withUnsafePointer(to: &destination) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(sender, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    /// Announcements heard, until `stop()`.
    public func listen() -> AsyncStream<Heard> {
        AsyncStream { continuation in
            Thread.detachNewThread { [self] in
                var buffer = [UInt8](repeating: 0, count: 512)
                while !stoppedNow {
                    var source = sockaddr_in()
                    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
                    let received = withUnsafeMutablePointer(to: &source) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            recvfrom(receiver, &buffer, buffer.count, 0, $0, &length)
                        }
                    }
                    guard received > 0, let announcement = Announcement(decoding: Array(buffer.prefix(received))) else {
                        continue
                    }
                    continuation.yield(Heard(announcement: announcement, host: String(cString: inet_ntoa(source.sin_addr))))
                }
                continuation.finish()
            }
        }
    }

    public func stop() { stopped.withLock { isStopped = true } }

    private var stoppedNow: Bool { stopped.withLock { isStopped } }

    private static func address(host: String, port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        return address
    }
}

public enum DiscoveryError: Error, Sendable, CustomStringConvertible {
    case setup(String)

    public var description: String {
        switch self {
        case .setup(let reason): "discovery: \(reason)"
        }
    }
}
