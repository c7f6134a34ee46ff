import RelaisCore
import RelaisCrypto
import RelaisStore
import RelaisSync
import RelaisTransport

/// A peer that speaks the protocol with whatever identity or version a test gives it: what another
/// implementation, an old release or an impostor holding a token would send a real daemon.
public enum ForeignPeer {
    /// Enrols at 127.0.0.1:`port` with `token`, claiming the id `device` with keys of its own.
    public static func enrol(at port: Int, token: String, claiming device: DeviceID, name: String) async throws -> (
        CloseReason, EnrolmentGrant?
    ) {
        let (tokenID, preSharedKey) = try Replica.parseToken(token)
        let keys = Keyring.generate(deviceName: name)
        let session = try EnrolmentSession(
            joinerKey: keys.noiseKey, tokenID: tokenID, preSharedKey: preSharedKey,
            identity: EnrolmentIdentity(device: device, name: name, signingKey: keys.signingPublicKey))
        return await SessionDriver.runEnrolment(session, over: try await SyncTransport.connect(host: "127.0.0.1", port: port))
    }

    /// Opens a sync session to 127.0.0.1:`port` presenting `hello`, under a fresh Noise key; it
    /// would accept the daemon and exchange nothing.
    public static func sync(at port: Int, presenting hello: PeerHello) async throws -> CloseReason {
        let session = try SyncSession(role: .initiator, staticKey: .generate(), localHello: hello)
        let channel = try await SyncTransport.connect(host: "127.0.0.1", port: port)
        return await SessionDriver.runSync(session, over: channel, port: EmptyNode()).0
    }
}

/// A node holding nothing, that accepts any peer and refuses every change.
private struct EmptyNode: SyncDelegate {
    struct NothingStored: Error {}

    func verify(_ hello: PeerHello, noiseKey: [UInt8]) async -> PeerVerdict {
        .accept(localVector: VersionVector(), roster: nil, awaiting: [])
    }

    func loadChanges(missingFrom vector: VersionVector, for peer: DeviceID?, changesMax: Int, bytesMax: Int) async throws
        -> ChangeBatch
    { ChangeBatch([]) }

    func apply(_ batch: ChangeBatch) async throws -> BatchApplied { throw NothingStored() }
    func loadFill(of persons: [RecordID], for peer: DeviceID?, bytesMax: Int) async throws -> [Change] { [] }
    func applyFill(_ changes: [Change]) async throws { throw NothingStored() }
    func adoptRoster(_ roster: [UInt8]) async {}
    func peerHolds(_ vector: VersionVector, device: DeviceID) async {}

    func certifyKeyChange(_ request: KeyChangeRequest, peer: DeviceID) async throws -> EnrolmentGrant {
        throw NothingStored()
    }

    func keyChanged(_ grant: EnrolmentGrant) async {}
}
