import Foundation
import RelaisHarness
import Synchronization

/// Connections that do a hub no good while honest clients sync: a flood that opens and closes
/// connections as fast as it can, and slow-loris clients that name a sync session, then send one
/// byte every half second and never finish a handshake, reconnecting whenever the hub cuts them.
public final class HostileTraffic: Sendable {
    private let port: Int
    private let isStopped = Atomic(false)
    private let running = Atomic(0)
    private let floods = Atomic(0)
    private let cuts = Atomic(0)
    private let longestCut = Atomic(0)

    /// Connections the flood opened and closed.
    public var floodConnections: Int { floods.load(ordering: .relaxed) }
    /// Slow-loris connections the hub cut, and how long the longest lasted.
    public var slowLorisCut: Int { cuts.load(ordering: .relaxed) }
    public var slowLorisLongestMilliseconds: Int { longestCut.load(ordering: .relaxed) }

    public init(port: Int, slowLoris: Int) {
        self.port = port
        spawn { [self] in flood() }
        for _ in 0..<slowLoris { spawn { [self] in dripUntilStopped() } }
    }

    /// Stops every hostile connection and waits for them to end.
    public func stop() {
        isStopped.store(true, ordering: .sequentiallyConsistent)
        while running.load(ordering: .sequentiallyConsistent) > 0 { Thread.sleep(forTimeInterval: 0.05) }
    }

    private func spawn(_ body: @escaping @Sendable () -> Void) {
        running.add(1, ordering: .sequentiallyConsistent)
        Thread.detachNewThread { [self] in
            body()
            running.subtract(1, ordering: .sequentiallyConsistent)
        }
    }

    private var stopped: Bool { isStopped.load(ordering: .sequentiallyConsistent) }

    private func flood() {
        while !stopped {
            guard let socket = FreePort.connectedSocket(to: port) else { continue }
            close(socket)
            floods.add(1, ordering: .relaxed)
        }
    }

    private func dripUntilStopped() {
        while !stopped {
            guard let socket = FreePort.connectedSocket(to: port) else {
                Thread.sleep(forTimeInterval: 0.1)
                continue
            }
            let started = ContinuousClock.now
            // The sync session kind, then a frame announced as 32 bytes that never all come.
            var cut = send([1, 0, 32], on: socket) == false
            while !cut && !stopped {
                Thread.sleep(forTimeInterval: 0.5)
                cut = !send([0x42], on: socket) || isClosedByPeer(socket)
            }
            close(socket)
            if cut {
                cuts.add(1, ordering: .relaxed)
                let lasted = ContinuousClock.now - started
                let milliseconds = Int(lasted.components.seconds * 1_000 + lasted.components.attoseconds / 1_000_000_000_000_000)
                _ = longestCut.max(milliseconds, ordering: .relaxed)
            }
        }
    }

    private func send(_ bytes: [UInt8], on socket: Int32) -> Bool {
        bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    private func isClosedByPeer(_ socket: Int32) -> Bool {
        var byte: UInt8 = 0
        let received = recv(socket, &byte, 1, Int32(MSG_DONTWAIT))
        return received == 0 || (received < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }
}
