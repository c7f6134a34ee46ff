import Foundation
import RelaisCore

/// The last roster decoded, by its signature: a roster is read at every session, batch and admin
/// command, and decoding one of 60 KB each time dominated them. Its signature names one content
/// (a restored admin may sign another roster under a version number already used).
final class RosterCache: @unchecked Sendable {
    static let shared = RosterCache()
    private let lock = NSLock()
    private var last: (signature: [UInt8], roster: Roster)?

    func roster(signature: [UInt8], decoding load: () throws -> [UInt8]) throws -> Roster {
        if let hit = lock.withLock({ last?.signature == signature ? last?.roster : nil }) { return hit }
        let roster = try Roster(decoding: try load())
        lock.withLock { last = (signature, roster) }
        return roster
    }
}
