import RelaisCore
import RelaisCrypto

/// Checks the admin key chain of a roster or a Hello: each link endorsed by the key before it,
/// from the team's founding key.
public enum AdminKeyChain {
    /// The key at the end of `chain` when every link verifies, starting from `founding`; nil otherwise.
    public static func verifiedEnd(of chain: [AdminKeyLink], founding: [UInt8], team: TeamID) -> [UInt8]? {
        var previous = founding
        for (index, link) in chain.enumerated() {
            let message = AdminKeyLink.signedBytes(team: team, index: index + 1, previous: previous, key: link.key)
            guard SigningKey.isValid(signature: link.signature, message: message, publicKey: previous) else { return nil }
            previous = link.key
        }
        return previous
    }

    /// Whether `roster` is signed by the end of a valid chain from `founding` that extends
    /// `known` (the chain this node already follows): a node never turns to another branch.
    public static func verifies(_ roster: Roster, founding: [UInt8], known: [AdminKeyLink] = []) -> Bool {
        guard roster.adminKey == founding, roster.adminChain.starts(with: known),
            let signer = verifiedEnd(of: roster.adminChain, founding: founding, team: roster.team)
        else { return false }
        return SigningKey.isValid(signature: roster.signature, message: roster.signedBytes, publicKey: signer)
    }
}
