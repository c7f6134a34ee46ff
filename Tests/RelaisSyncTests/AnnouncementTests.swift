import RelaisCore
import RelaisSync
import Testing

@Suite struct AnnouncementTests {
    @Test func announcementsRoundTripAndCarryNoIdentity() throws {
        let team = TeamID(Identifier128(high: 1, low: 2))
        let announcement = Announcement(team: team, instance: 42, port: 7_710)
        let bytes = announcement.encoded
        #expect(bytes.count == 26)
        #expect(Announcement(decoding: bytes) == announcement)
        #expect(announcement.teamHint != Array(team.value.bytes.prefix(8)))
    }

    @Test func anythingElseIsIgnored() {
        let valid = Announcement(team: TeamID(Identifier128(high: 1, low: 2)), instance: 1, port: 1).encoded
        #expect(Announcement(decoding: Array(valid.dropLast())) == nil)
        #expect(Announcement(decoding: [UInt8](repeating: 0, count: 26)) == nil)
        #expect(Announcement(decoding: Array(valid.dropLast(2)) + [0, 0]) == nil, "port 0")
    }
}
