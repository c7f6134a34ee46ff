import RelaisSync

/// Input: one mode byte, then
/// - mode 0: pieces (`FuzzInput`) fed as frames to a responding session;
/// - mode 1: pieces fed to an initiating session after its first message;
/// - mode 2: the `Hello` a genuine initiator carries in the handshake's last message.
/// Accepted when the session is still sound after the last piece (modes 0, 1) or accepted the
/// peer (mode 2).
enum HandshakeTarget {
    static func run(_ input: [UInt8]) -> FuzzOutcome {
        guard let mode = input.first, var harness = try? SessionHarness(role: mode % 3 == 1 ? .initiator : .responder)
        else { return .rejected }
        return SessionHarness.blocking {
            switch mode % 3 {
            case 2:
                do { try await harness.authenticate { _ in Array(input.dropFirst()) } } catch { return .rejected }
                return harness.isVerified && harness.isSound ? .accepted : .rejected
            default:
                await harness.start()
                for frame in FuzzInput.pieces(input.dropFirst()) { await harness.receive(frame) }
                return harness.isSound ? .accepted : .rejected
            }
        }
    }

    static func seeds() throws -> [[UInt8]] {
        try SessionHarness.blocking { () -> Result<[[UInt8]], any Error> in
            do {
                var harness = try SessionHarness()
                var hello: [UInt8] = []
                try await harness.authenticate { responderHello in
                    hello = responderHello
                    return responderHello
                }
                return .success([[0] + FuzzInput.joining([Array(repeating: 9, count: 32)]), [2] + hello])
            } catch {
                return .failure(error)
            }
        }.get()
    }
}
