@testable import RelaisApp
import RelaisCore
import RelaisStore
import Testing

/// The file and the forms show version 2's fields beside their kin, and lose none.
@Suite struct FieldOrderTests {
    @Test func aVisitReadsDateTeamPlaceKindThenTheInterpreterThenTheFollowUp() throws {
        let visit = try Schema.bundled.recordType("visit")
        #expect(
            FieldOrder.ordered(visit.fields, of: "visit").map(\.name) == [
                "date", "care_team", "place_kind", "place_name", "kind", "staff_present", "interpreter_used",
                "interpreter_mode", "interpreter_provider", "interpreter_minutes", "actions", "note", "follow_up",
                "follow_up_date",
            ])
        let referral = try Schema.bundled.recordType("referral")
        #expect(
            FieldOrder.ordered(referral.fields, of: "referral").map(\.name) == [
                "to", "partner", "reason", "date", "status", "followed_date", "outcome",
            ])
    }

    @Test func everyTypeKeepsEachOfItsFieldsOnce() {
        for type in Schema.bundled.recordTypes {
            let ordered = FieldOrder.ordered(type.fields, of: type.name)
            #expect(ordered.map(\.name).sorted() == type.fields.map(\.name).sorted(), "\(type.name)")
        }
        let visitFieldsWithoutTheirNeighbours = try? Schema.bundled.recordType("visit").fields.filter { $0.name != "date" }
        #expect(FieldOrder.ordered(visitFieldsWithoutTheirNeighbours ?? [], of: "visit").last?.name == "care_team")
    }
}
