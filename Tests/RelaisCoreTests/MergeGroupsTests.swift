import RelaisCore
import RelaisTestSupport
import Testing

@Suite struct MergeGroupsTests {
    let p1 = ChangeFactory.recordID(1)
    let p2 = ChangeFactory.recordID(2)
    let p3 = ChangeFactory.recordID(3)

    @Test func chainsAreFollowed() {
        let groups = MergeGroups(links: [p3: p2, p2: p1], isLive: { _ in true })
        #expect(groups.root(of: p3) == p1)
        #expect(groups.duplicates(of: p1) == [p2, p3])
    }

    @Test func aCycleFromConcurrentMergesSettlesOnTheSmallestID() {
        let groups = MergeGroups(links: [p1: p2, p2: p3, p3: p1], isLive: { _ in true })
        #expect(groups.root(of: p2) == p1)
        #expect(groups.root(of: p3) == p1)
        #expect(!groups.isMergedAway(p1))
    }

    @Test func aLinkToAGonePersonIsIgnored() {
        let groups = MergeGroups(links: [p2: p1], isLive: { $0 != p1 })
        #expect(groups.root(of: p2) == p2)
    }
}
