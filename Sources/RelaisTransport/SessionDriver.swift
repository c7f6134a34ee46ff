import NIOCore
import RelaisCore
import RelaisCrypto
import RelaisSync

/// Runs the state machines over a real connection: it only carries out their actions.
public enum SessionDriver {
    typealias Inbound = NIOAsyncChannelInboundStream<[UInt8]>.AsyncIterator
    typealias Outbound = NIOAsyncChannelOutboundWriter<[UInt8]>

    /// Runs a sync session as initiator; returns how it ended and what it moved.
    public static func runSync(_ session: SyncSession, over channel: FrameChannel, delegate: some SyncDelegate) async
        -> (CloseReason, SessionStatistics)
    {
        var session = session
        var reason = CloseReason.connectionLost
        do {
            try await channel.executeThenClose { inbound, outbound in
                var iterator = inbound.makeAsyncIterator()
                reason = try await syncLoop(&session, &iterator, outbound, delegate: delegate, firstFrame: nil)
            }
        } catch {
            // A failed read or write means the connection is gone: connectionLost.
        }
        return (reason, session.statistics)
    }

    /// Runs an enrolment as the joining device; returns the grant when the hub gave one.
    public static func runEnrolment(_ session: EnrolmentSession, over channel: FrameChannel) async -> (
        CloseReason, EnrolmentGrant?
    ) {
        var session = session
        var result: (CloseReason, EnrolmentGrant?) = (.connectionLost, nil)
        do {
            try await channel.executeThenClose { inbound, outbound in
                var iterator = inbound.makeAsyncIterator()
                result = try await enrolmentLoop(&session, &iterator, outbound, delegate: nil, firstFrame: nil)
            }
        } catch {
            // As above: the connection is gone.
        }
        return result
    }

    /// Serves one accepted connection: its first frame names the session kind (SPEC.md §2).
    public static func serve(
        _ channel: FrameChannel, delegate: some SyncDelegate & EnrolmentDelegate, staticKey: X25519KeyPair, hello: PeerHello
    ) async -> ServedSession {
        var served = ServedSession.refused("the peer closed before its first frame")
        do {
            try await channel.executeThenClose { inbound, outbound in
                var iterator = inbound.makeAsyncIterator()
                guard let frame = try await iterator.next() else { return }
                guard frame.count > 1, let kind = SessionKind(rawValue: frame[0]) else {
                    served = .refused("the first frame names no known session kind (not a Relais peer?)")
                    return
                }
                let first = Array(frame.dropFirst())
                switch kind {
                case .sync:
                    var session = try SyncSession(role: .responder, staticKey: staticKey, localHello: hello)
                    let reason = try await syncLoop(&session, &iterator, outbound, delegate: delegate, firstFrame: first)
                    served = .sync(reason, session.statistics)
                case .enrolment:
                    var session = try EnrolmentSession(hubKey: staticKey, hello: hello)
                    served = .enrolment(
                        try await enrolmentLoop(&session, &iterator, outbound, delegate: delegate, firstFrame: first).0)
                }
            }
        } catch {
            if case .refused = served { served = .refused("\(error)") }
        }
        return served
    }

    private static func syncLoop(
        _ session: inout SyncSession, _ inbound: inout Inbound, _ outbound: Outbound, delegate: some SyncDelegate,
        firstFrame: [UInt8]?
    ) async throws -> CloseReason {
        var pending = firstFrame.map { session.receive($0) } ?? session.start()
        var isFirst = firstFrame == nil
        while true {
            while !pending.isEmpty {
                switch pending.removeFirst() {
                case .send(let frame):
                    do {
                        try await outbound.write(isFirst ? [SessionKind.sync.rawValue] + frame : frame)
                    } catch {
                        return await reasonAfterFailedWrite(&session, &inbound, delegate: delegate)
                    }
                    isFirst = false
                case .verifyPeer(let hello, let noiseKey):
                    switch await delegate.verify(hello, noiseKey: noiseKey) {
                    case .accept(let vector, let roster, let awaiting, let heads):
                        pending += session.peerAccepted(localVector: vector, roster: roster, awaiting: awaiting, heads: heads)
                    case .refuse(let refusal, let roster): pending += session.peerRefused(refusal, roster: roster)
                    }
                case .loadChanges(let vector, let peer, let changesMax, let bytesMax):
                    pending += session.changesLoaded(
                        try await delegate.loadChanges(missingFrom: vector, for: peer, changesMax: changesMax, bytesMax: bytesMax)
                    )
                case .loadFill(let persons, let peer, let bytesMax):
                    pending += session.fillLoaded(try await delegate.loadFill(of: persons, for: peer, bytesMax: bytesMax))
                case .applyFill(let changes):
                    // A fill that does not match is ignored change by change, inside: what throws
                    // here is this node's own store, and the session says so rather than go on.
                    do {
                        try await delegate.applyFill(changes)
                        pending += session.fillApplied()
                    } catch {
                        pending += session.storeFailed(reason: "this node could not store the fill: \(error)")
                    }
                case .applyChanges(let batch):
                    do {
                        pending += session.changesApplied(vector: try await delegate.apply(batch))
                    } catch {
                        pending += session.applyFailed(reason: "\(error)")
                    }
                case .adoptRoster(let roster):
                    await delegate.adoptRoster(roster)
                case .peerHolds(let device, let vector):
                    await delegate.peerHolds(vector, device: device)
                case .compareHeads(let heads, let peer):
                    await delegate.compareHeads(heads, peer: peer)
                case .certifyKeyChange(let request, let peer):
                    do {
                        pending += session.keyChangeCertified(try await delegate.certifyKeyChange(request, peer: peer))
                    } catch {
                        pending += session.keyChangeRefused(reason: "\(error)")
                    }
                case .keyChanged(let grant):
                    await delegate.keyChanged(grant)
                case .close(let reason):
                    if reason.isRefusalSent { await finishAfterRefusal(outbound, &inbound) }
                    return reason
                }
            }
            guard let frame = try await inbound.next() else {
                pending += session.connectionClosed()
                continue
            }
            pending += session.receive(frame)
        }
    }

    /// Ends our output after our last message (a refusal, a grant) and reads until the peer,
    /// having read it, closes; the idle timeout bounds a peer that never does.
    private static func finishAfterRefusal(_ outbound: Outbound, _ inbound: inout Inbound) async {
        outbound.finish()
        while (try? await inbound.next()) != nil {}
    }

    /// A peer that refuses closes at once, so our write may fail while its refusal is still to
    /// be read: read what is left, so the operator learns why.
    private static func reasonAfterFailedWrite(
        _ session: inout SyncSession, _ inbound: inout Inbound, delegate: some SyncDelegate
    )
        async -> CloseReason
    {
        while let frame = try? await inbound.next() {
            for action in session.receiveAfterFailedWrite(frame) {
                switch action {
                case .adoptRoster(let roster): await delegate.adoptRoster(roster)
                case .close(let reason): return reason
                default: continue
                }
            }
        }
        return .connectionLost
    }

    private static func enrolmentLoop(
        _ session: inout EnrolmentSession, _ inbound: inout Inbound, _ outbound: Outbound, delegate: (any EnrolmentDelegate)?,
        firstFrame: [UInt8]?
    ) async throws -> (CloseReason, EnrolmentGrant?) {
        var pending = firstFrame.map { session.receive($0) } ?? session.start()
        var isFirst = firstFrame == nil
        var grant: EnrolmentGrant?
        while true {
            while !pending.isEmpty {
                switch pending.removeFirst() {
                case .send(let frame):
                    try await outbound.write(isFirst ? [SessionKind.enrolment.rawValue] + frame : frame)
                    isFirst = false
                case .lookupInvite(let tokenID):
                    switch await delegate?.preSharedKey(tokenID: tokenID) {
                    case .success(let key)?: pending += session.inviteFound(preSharedKey: key)
                    case .failure(let refusal)?: pending += session.inviteRefused(refusal)
                    case nil: pending += session.inviteRefused(Refusal(.protocolViolation, "this node enrols no device"))
                    }
                case .enrol(let tokenID, let identity, let noiseKey):
                    do {
                        guard let delegate else { throw Refusal(.protocolViolation, "this node enrols no device") }
                        pending += session.granted(
                            try await delegate.enrol(tokenID: tokenID, identity: identity, noiseKey: noiseKey))
                    } catch let refusal as Refusal {
                        pending += session.refuse(refusal)
                    } catch {
                        pending += session.refuse(Refusal(.busy, "the hub could not store the enrolment: \(error)"))
                    }
                case .enrolled(let received, _, _):
                    grant = received
                case .close(let reason):
                    // The hub's last word (a grant or a refusal) must reach the device before
                    // the connection closes: closing at once may drop it unsent or reset it.
                    if delegate != nil, reason == .completed || reason.isRefusalSent {
                        await finishAfterRefusal(outbound, &inbound)
                    }
                    return (reason, grant)
                }
            }
            guard let frame = try await inbound.next() else {
                pending += session.connectionClosed()
                continue
            }
            pending += session.receive(frame)
        }
    }
}
