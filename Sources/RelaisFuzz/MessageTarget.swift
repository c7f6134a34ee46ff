/// Input: pieces (`FuzzInput`), each an envelope an authenticated peer seals and sends to a
/// responding session. Accepted when the session is still sound after the last one.
enum MessageTarget {
    /// Authenticated once: every input starts from a copy of it (sessions and Noise transports
    /// are values), so an input costs its own messages, not a handshake.
    nonisolated(unsafe) private static let authenticated = Result { () throws -> SessionHarness in
        var harness = try SessionHarness()
        try harness.authenticate { $0 }
        return harness
    }

    static func run(_ input: [UInt8]) -> FuzzOutcome {
        guard var harness = try? authenticated.get() else { return .rejected }
        do {
            for envelope in FuzzInput.pieces(input) { try harness.deliver(envelope) }
        } catch {
            return .rejected
        }
        return harness.isVerified && harness.isSound ? .accepted : .rejected
    }

    /// What a session holding changes sends: its vector, a batch, then the end of its changes.
    static func seeds() throws -> [[UInt8]] {
        var sender = try SessionHarness(changesToSend: try ReplicaFixture.sampleChanges())
        try sender.authenticate { $0 }
        guard let vector = sender.sentEnvelopes.first else { return [] }
        try sender.deliver(vector)
        return [FuzzInput.joining(sender.sentEnvelopes), FuzzInput.joining([vector])]
    }
}
