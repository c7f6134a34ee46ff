/// Decides which person each merged duplicate now appears under.
///
/// Links come from the winners of the `merged_into` registers. Chains are followed to their end;
/// a link to a person that is gone (deleted or erased) is ignored; concurrent merges that form a
/// cycle are settled by making the smallest id of the cycle the kept person, so every replica
/// reaches the same groups from the same links.
public struct MergeGroups: Sendable {
    private var roots: [RecordID: RecordID] = [:]

    /// Groups from the merge `links` (duplicate to kept), ignoring links to persons not `isLive`.
    public init(links: [RecordID: RecordID], isLive: (RecordID) -> Bool) {
        for person in links.keys.sorted() where roots[person] == nil {
            resolve(person, links: links, isLive: isLive)
        }
    }

    /// The kept person under which `person` appears; itself when it is not merged.
    public func root(of person: RecordID) -> RecordID { roots[person] ?? person }

    /// Whether `person` appears under another person.
    public func isMergedAway(_ person: RecordID) -> Bool { root(of: person) != person }

    /// The duplicates that appear under `root`, smallest id first.
    public func duplicates(of root: RecordID) -> [RecordID] {
        roots.filter { $0.value == root && $0.key != root }.map(\.key).sorted()
    }

    private mutating func resolve(_ start: RecordID, links: [RecordID: RecordID], isLive: (RecordID) -> Bool) {
        var path: [RecordID] = [start]
        var current = start
        while let next = links[current], next != current, isLive(next) {
            if let known = roots[next] {
                assign(path, to: known)
                return
            }
            if let cycleStart = path.firstIndex(of: next) {
                let cycle = path[cycleStart...]
                let root = cycle.min()!
                assign(path, to: root)
                return
            }
            path.append(next)
            current = next
        }
        assign(path, to: current)
    }

    private mutating func assign(_ path: [RecordID], to root: RecordID) {
        for person in path { roots[person] = root }
    }
}
