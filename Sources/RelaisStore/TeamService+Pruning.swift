import Foundation
import GRDB
import RelaisCore
import RelaisCrypto

/// A roster that outlives staff turnover (SPEC.md §10, "Pruning"): the admin node drops revoked
/// and retired devices once their certificates have expired, keeping for each an admin-signed
/// closure (key and last valid change) that travels with its changes to nodes that never knew it.
extension TeamService {
    /// The devices `roster` may drop now, with the last of their changes that stays valid: revoked
    /// or retired, certificate expired (so no session can name them), and, for a retired device,
    /// every change of it that a peer said it holds held here (its successor has synced since).
    static func prunable(_ roster: Roster, own: DeviceID, at now: WallTime, _ db: Database) throws -> [DeviceID: UInt64] {
        let held = try SQLiteReplicaStorage(db).versionVector()
        let reported = try PeerLedger.vectors(db)
        var prunable: [DeviceID: UInt64] = [:]
        for certificate in roster.certificates where certificate.device != own && certificate.expiresAt <= now {
            let device = certificate.device
            if let revocation = roster.revocation(of: device) {
                prunable[device] = revocation.validThrough
            } else if let successor = roster.successors[device],
                successor == own || reported[successor] != nil,
                reported.values.allSatisfy({ $0[device] <= held[device] })
            {
                prunable[device] = held[device]
            }
        }
        return prunable
    }

    /// `roster` without what may go, and the closures of the devices dropped, signed by `adminKey`.
    func pruned(_ roster: Roster, at now: WallTime, by adminKey: SigningKey, _ db: Database) throws
        -> (roster: Roster, closures: [OriginClosure])
    {
        let prunable = try Self.prunable(roster, own: keyring.device, at: now, db)
        guard !prunable.isEmpty else { return (roster, []) }
        let closures = roster.certificates.compactMap { certificate -> OriginClosure? in
            guard let validThrough = prunable[certificate.device] else { return nil }
            let closure = OriginClosure(
                team: roster.team, device: certificate.device, signingKey: certificate.signingKey,
                validThrough: validThrough, issuerKey: adminKey.publicKey, signature: [])
            return closure.signed(adminKey.sign(closure.signedBytes))
        }
        return (roster.pruning(Set(prunable.keys)), closures)
    }
}
