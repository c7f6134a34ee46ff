/// Input: pieces (`FuzzInput`), each an envelope an authenticated peer seals and sends to a
/// responding session. Accepted when the session is still sound after the last one.
enum MessageTarget {
    /// Authenticated once: every input starts from a copy of it (sessions and Noise transports
    /// are values), so an input costs its own messages, not a handshake.
    nonisolated(unsafe) private static let authenticated = SessionHarness.blocking { () -> Result<SessionHarness, any Error> in
        do {
            var harness = try SessionHarness()
            try await harness.authenticate { $0 }
            return .success(harness)
        } catch {
            return .failure(error)
        }
    }

    static func run(_ input: [UInt8]) -> FuzzOutcome {
        guard var harness = try? authenticated.get() else { return .rejected }
        return SessionHarness.blocking {
            do {
                for envelope in FuzzInput.pieces(input) { try await harness.deliver(envelope) }
            } catch {
                return .rejected
            }
            return harness.isVerified && harness.isSound ? .accepted : .rejected
        }
    }

    /// What a session holding changes sends: its vector, a batch, then the end of its changes.
    static func seeds() throws -> [[UInt8]] {
        let changes = try ReplicaFixture.sampleChanges()
        return try SessionHarness.blocking { () -> Result<[[UInt8]], any Error> in
            do {
                var sender = try SessionHarness(changesToSend: changes)
                try await sender.authenticate { $0 }
                guard let vector = sender.sentEnvelopes.first else { return .success([]) }
                try await sender.deliver(vector)
                return .success([FuzzInput.joining(sender.sentEnvelopes), FuzzInput.joining([vector])])
            } catch {
                return .failure(error)
            }
        }.get()
    }
}
