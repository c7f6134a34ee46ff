import RelaisCore
import Testing

@Suite struct SchemaTests {
    let schema = Schema(
        version: 1,
        recordTypes: [
            RecordTypeSchema(
                name: "person", linkedTo: nil,
                fields: [
                    FieldSchema(name: "family_name", kind: .text, sensitivity: .identity, maxLength: 10),
                    FieldSchema(name: "birth_date", kind: .date, sensitivity: .identity),
                    FieldSchema(name: "sex", kind: .enumeration, sensitivity: .identity, values: ["female", "male"]),
                    FieldSchema(name: "languages", kind: .enumSet, sensitivity: .identity, values: ["ar", "fr"]),
                    FieldSchema(name: "has_gp", kind: .boolean, sensitivity: .health),
                    FieldSchema(name: "score", kind: .integer, sensitivity: .programme, minimum: 0, maximum: 24),
                ])
        ])

    @Test func validValuesParse() throws {
        #expect(try schema.parseAssignment("family_name=Diallo", type: "person").1 == [.text("Diallo")])
        #expect(
            try schema.parseAssignment("birth_date=1985-03", type: "person").1 == [
                .date(PartialDate(year: 1985, month: 3, day: 0))
            ])
        #expect(try schema.parseAssignment("languages=fr, ar,fr", type: "person").1 == [.enumeration("fr"), .enumeration("ar")])
        #expect(try schema.parseAssignment("has_gp=yes", type: "person").1 == [.boolean(true)])
        #expect(try schema.parseAssignment("score=24", type: "person").1 == [.integer(24)])
        #expect(try schema.parseAssignment("family_name=a=b", type: "person").1 == [.text("a=b")])
    }

    @Test(arguments: [
        ("hiv=yes", "person has no field 'hiv'"),
        ("sex=robot", "allowed values: female, male"),
        ("languages=fr,xx", "allowed values: ar, fr"),
        ("birth_date=1985-02-30", "YYYY-MM-DD"),
        ("birth_date=85", "YYYY-MM-DD"),
        ("score=25", "from 0 to 24"),
        ("score=ten", "from 0 to 24"),
        ("family_name=", "1 to 10 characters"),
        ("family_name=abcdefghijk", "1 to 10 characters"),
        ("has_gp=maybe", "allowed values: yes, no"),
        ("=x", "FIELD=VALUE"),
        ("family_name", "FIELD=VALUE"),
    ])
    func invalidWritesNameTheFieldAndWhatItAllows(assignment: String, message: String) {
        do {
            _ = try schema.parseAssignment(assignment, type: "person")
            Issue.record("\(assignment) was accepted")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    @Test func anUnknownRecordTypeIsRefused() {
        #expect(throws: SchemaError.self) { try schema.parseAssignment("x=y", type: "spaceship") }
    }

    @Test func aBrokenSchemaIsRefusedWhenLoaded() {
        let broken = Schema(
            version: 1,
            recordTypes: [
                RecordTypeSchema(
                    name: "person", linkedTo: nil, fields: [FieldSchema(name: "x", kind: .enumeration, sensitivity: .health)])
            ])
        #expect(throws: SchemaError.invalidSchema("person.x lists no values")) { try broken.validate() }
    }

    @Test func valuesRoundTripThroughTheirEncoding() throws {
        let values: [FieldValue] = [
            .text("Élodie"), .date(PartialDate(year: 1990, month: 0, day: 0)), .enumeration("hiv"), .boolean(false),
            .integer(-3), .reference(RecordID(Identifier128(high: 5, low: 6))),
        ]
        for value in values { #expect(try FieldValue(decoding: value.encoded) == value) }
    }
}
