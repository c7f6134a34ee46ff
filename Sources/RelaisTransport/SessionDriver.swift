import NIOCore
import RelaisCore
import RelaisCrypto
import RelaisSync

/// Runs the state machines over a real connection: it only carries out their actions.
public enum SessionDriver {
    typealias Inbound = NIOAsyncChannelInboundStream<[UInt8]>.AsyncIterator
    typealias Outbound = NIOAsyncChannelOutboundWriter<[UInt8]>

    /// Runs a sync session as initiator for the node behind `port`; returns how it ended and
    /// what it moved.
    public static func runSync(
        _ session: SyncSession, over channel: FrameChannel, port: some SyncDelegate, hooks: SessionHooks = SessionHooks()
    ) async -> (CloseReason, SessionStatistics) {
        var runner = SessionRunner(session, port: port, hooks: hooks)
        var reason = CloseReason.connectionLost
        do {
            try await channel.executeThenClose { inbound, outbound in
                var iterator = inbound.makeAsyncIterator()
                reason = try await syncLoop(&runner, &iterator, outbound, firstFrame: nil)
            }
        } catch {
            // A failed read or write means the connection is gone: connectionLost.
        }
        return (reason, runner.session.statistics)
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

    /// Serves one accepted connection: its first frame names the session kind (SPEC.md §2). A sync
    /// session runs through `port` and `hooks`, an enrolment through `enrolment`.
    public static func serve(
        _ channel: FrameChannel, port: some SyncDelegate, hooks: SessionHooks, enrolment: some EnrolmentDelegate,
        staticKey: X25519KeyPair, hello: PeerHello
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
                    let session = try SyncSession(role: .responder, staticKey: staticKey, localHello: hello)
                    var runner = SessionRunner(session, port: port, hooks: hooks)
                    let reason = try await syncLoop(&runner, &iterator, outbound, firstFrame: first)
                    served = .sync(reason, runner.session.statistics)
                case .enrolment:
                    var session = try EnrolmentSession(hubKey: staticKey, hello: hello)
                    served = .enrolment(
                        try await enrolmentLoop(&session, &iterator, outbound, delegate: enrolment, firstFrame: first).0)
                }
            }
        } catch {
            if case .refused = served { served = .refused("\(error)") }
        }
        return served
    }

    private static func syncLoop(
        _ runner: inout SessionRunner<some SyncDelegate>, _ inbound: inout Inbound, _ outbound: Outbound, firstFrame: [UInt8]?
    ) async throws -> CloseReason {
        // The initiator's first frame names the session kind (SPEC.md §2).
        var kindByte = firstFrame == nil ? [SessionKind.sync.rawValue] : []
        let send = { (frame: [UInt8]) async throws in
            try await outbound.write(kindByte + frame)
            kindByte = []
        }
        var step: SessionStep
        if let firstFrame {
            step = try await runner.receive(firstFrame, send: send)
        } else {
            step = try await runner.start(send: send)
        }
        while true {
            switch step {
            case .open:
                if let frame = try await inbound.next() {
                    step = try await runner.receive(frame, send: send)
                } else {
                    step = try await runner.connectionClosed(send: send)
                }
            case .closed(let reason):
                if reason.isRefusalSent { await finishAfterRefusal(outbound, &inbound) }
                return reason
            case .writeFailed:
                return await reasonAfterFailedWrite(&runner, &inbound)
            }
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
    private static func reasonAfterFailedWrite(_ runner: inout SessionRunner<some SyncDelegate>, _ inbound: inout Inbound)
        async -> CloseReason
    {
        while let frame = try? await inbound.next() {
            if let reason = await runner.receiveAfterFailedWrite(frame) { return reason }
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
