import RelaisCore
import RelaisHarness
import RelaisCrypto
import RelaisStore
import RelaisSync
import RelaisTestSupport
import Testing

@Suite struct SyncSessionTests {
    @Test func twoReplicasLeaveWithTheSameData() async throws {
        let group = try ReplicaGroup(count: 2)
        let (a, b) = (group.replicas[0], group.replicas[1])
        for index in 0..<30 { try a.addPerson(["family_name=A\(index)"]) }
        for index in 0..<20 { try b.addPerson(["family_name=B\(index)"]) }
        var session = try SimulatedSession(initiator: a, responder: b)
        let outcome = try await session.run()
        #expect(outcome.initiator == .completed)
        #expect(outcome.responder == .completed)
        #expect(outcome.statistics.changesSent == 30)
        #expect(outcome.statistics.changesReceived == 20)
        #expect(try a.snapshot() == b.snapshot())
        #expect(try a.listPersons().count == 50)
    }

    @Test func largeHistoriesTravelInBoundedBatches() async throws {
        let group = try ReplicaGroup(count: 2)
        let (a, b) = (group.replicas[0], group.replicas[1])
        let note = String(repeating: "x", count: 9_000)
        for index in 0..<12 {
            let person = try a.addPerson(["family_name=P\(index)"])
            try a.addLinkedRecord(type: "visit", person: person.hex, set: ["note=\(note)"])
        }
        var session = try SimulatedSession(initiator: b, responder: a)
        #expect(try await session.run().initiator == .completed)
        #expect(try a.snapshot() == b.snapshot())
    }

    @Test func aCutAtAnyFrameLosesNothingAndTheNextSessionResumes() async throws {
        // 24 changes of about 9 KB travel in about 5 batches: cuts fall before, inside and after them.
        let note = String(repeating: "y", count: 9_000)
        for cut in 0..<16 {
            let group = try ReplicaGroup(count: 2)
            let (a, b) = (group.replicas[0], group.replicas[1])
            for index in 0..<24 {
                try a.addPerson([
                    "family_name=A\(index)", "objectives=\(note.prefix(1_999))", "care_refusals=\(note.prefix(1_999))",
                    "screening_results=\(note.prefix(1_999))", "gp_name=x",
                ])
            }
            try b.addPerson(["family_name=B"])
            var first = try SimulatedSession(initiator: a, responder: b)
            let outcome = try await first.run(framesMax: cut)
            #expect((outcome.initiator == .completed) == (outcome.responder == .completed) || cut > 0, "cut \(cut)")
            var second = try SimulatedSession(initiator: b, responder: a)
            #expect(try await second.run().initiator == .completed, "cut \(cut)")
            #expect(try a.snapshot() == b.snapshot(), "cut \(cut)")
            #expect(try b.changeLog().changes.count == 25, "cut \(cut)")
        }
    }

    /// After the handshake a violation is said, not just acted on: the peer reads
    /// `PROTOCOL_VIOLATION` and can tell it from a cut connection (SPEC.md §12).
    @Test func aReplayedMessageIsRefusedAsAProtocolViolation() async throws {
        let group = try ReplicaGroup(count: 2)
        for replica in group.replicas { try replica.addPerson(["family_name=Replayed"]) }
        var session = try SimulatedSession(initiator: group.replicas[0], responder: group.replicas[1])
        // Frame 4 is the first one after the handshake: neither side can have finished.
        let outcome = try await session.run(replayed: 4)
        let reasons = [outcome.initiator, outcome.responder]
        #expect(
            reasons.contains { if case .refusedPeer(let refusal)? = $0 { refusal.code == .protocolViolation } else { false } },
            "\(reasons)")
        #expect(
            reasons.contains { if case .refusedByPeer(let refusal)? = $0 { refusal.code == .protocolViolation } else { false } },
            "\(reasons)")
    }

    @Test func aHandshakeWithGarbageCloses() throws {
        var session = try SyncSession(
            role: .responder, staticKey: .generate(), localHello: PeerHello(certificate: nil, rosterVersion: 0))
        let actions = session.receive([1, 2, 3])
        guard case .close(.handshakeFailed)? = actions.last else {
            Issue.record("expected a handshake failure, got \(actions)")
            return
        }
        #expect(session.isClosed)
        #expect(session.receive([1]).isEmpty)
    }

    @Test func framesAreSplitAndEmptyFramesAreKeepAlivesOnlyAfterTheHandshake() throws {
        var decoder = FrameDecoder(handshakeFrames: 2)
        #expect(throws: FrameError.emptyFrame) { try decoder.feed(FrameDecoder.keepAlive) }
        decoder = FrameDecoder(handshakeFrames: 2)
        let stream = FrameDecoder.frame([1, 2, 3]) + FrameDecoder.frame([4])
        #expect(try decoder.feed(stream.prefix(4)) == [])
        #expect(try decoder.feed(stream.dropFirst(4)) == [[1, 2, 3], [4]])
        #expect(decoder.bufferedBytes == 0)
        // Past the handshake, an empty frame only says the peer is alive (a busy hub, SPEC.md §7).
        #expect(try decoder.feed(FrameDecoder.keepAlive + FrameDecoder.frame([5]) + FrameDecoder.keepAlive) == [[5]])
        #expect(decoder.bufferedBytes == 0)
        var fresh = FrameDecoder(handshakeFrames: 2)
        let limit = RelaisSync.Limits.handshakeFrameBytesMax
        #expect(throws: FrameError.handshakeFrameTooLong(limit + 1)) {
            try fresh.feed([UInt8((limit + 1) >> 8), UInt8((limit + 1) & 0xFF)])
        }
        var atLimit = FrameDecoder(handshakeFrames: 2)
        #expect(try atLimit.feed(FrameDecoder.frame([UInt8](repeating: 1, count: limit))).count == 1)
        // Regression: an initiator receives one handshake frame; its first batch may be large.
        var initiator = FrameDecoder(handshakeFrames: 1)
        let large = FrameDecoder.frame([UInt8](repeating: 2, count: RelaisSync.Limits.frameBytesMax))
        #expect(try initiator.feed(FrameDecoder.frame([1]) + large).count == 2)
    }

    @Test func theLimitsFitTogether() {
        #expect(RelaisCore.Limits.changeBytesMax <= RelaisSync.Limits.batchBytesMax)
        #expect(RelaisSync.Limits.batchBytesMax + RelaisSync.Limits.batchEnvelopeBytesMax + 16 <= RelaisSync.Limits.frameBytesMax)
        // A keep-alive (an empty frame) is a protocol violation during the handshake: none may be
        // due before the handshake deadline, and one must come before the peer's idle timeout.
        #expect(RelaisSync.Limits.handshakeTimeout < RelaisSync.Limits.keepAliveInterval)
        #expect(RelaisSync.Limits.keepAliveInterval < RelaisSync.Limits.sessionIdleTimeout)
    }
}

@Suite struct HandshakeReplayTests {
    /// A recorded handshake replayed to a fresh responder fails: each session mixes new ephemeral keys.
    @Test func aReplayedHandshakeIsRefused() throws {
        let hello = PeerHello(certificate: nil, rosterVersion: 0)
        let responderKey = X25519KeyPair.generate()
        var initiator = try SyncSession(role: .initiator, staticKey: .generate(), localHello: hello)
        var responder = try SyncSession(role: .responder, staticKey: responderKey, localHello: hello)
        guard case .send(let first)? = initiator.start().first,
            case .send(let second)? = responder.receive(first).first,
            case .send(let third)? = initiator.receive(second).first
        else {
            Issue.record("the handshake did not start")
            return
        }
        var victim = try SyncSession(role: .responder, staticKey: responderKey, localHello: hello)
        _ = victim.receive(first)
        let actions = victim.receive(third)
        guard case .close(.handshakeFailed)? = actions.last else {
            Issue.record("a replayed message 3 was accepted: \(actions)")
            return
        }
    }
}
