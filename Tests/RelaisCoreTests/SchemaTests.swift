import RelaisCore
import Testing

extension Schema {
    /// One person type with a field of every kind, for the tests of this module.
    static let sample = Schema(
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
}

@Suite struct SchemaTests {
    let schema = Schema.sample

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

    /// Found by the schema fuzz target: a version below 1 once made an empty range and trapped.
    @Test(arguments: [0, -3])
    func aSchemaVersionBelowOneIsRefusedNotATrap(version: Int) {
        let old = Schema(version: version, recordTypes: schema.recordTypes)
        #expect(throws: SchemaError.self) { try old.validate() }
    }

    /// Version rules: a field cannot be added after the schema's version, nor deprecated before it
    /// was added; a time of day is read as it is written in France.
    @Test func versionsAndTimesAreChecked() throws {
        func person(_ field: FieldSchema) -> Schema {
            Schema(version: 2, recordTypes: [RecordTypeSchema(name: "person", linkedTo: nil, fields: [field])])
        }
        #expect(throws: SchemaError.self) {
            try person(FieldSchema(name: "a", kind: .text, sensitivity: .health, since: 3)).validate()
        }
        #expect(throws: SchemaError.self) {
            try person(FieldSchema(name: "a", kind: .text, sensitivity: .health, since: 2, deprecated: 2)).validate()
        }
        try person(FieldSchema(name: "a", kind: .text, sensitivity: .health, deprecated: 2)).validate()
        let time = FieldSchema(name: "time", kind: .text, sensitivity: .programme, format: .time)
        for (typed, stored) in [("14h30", "14:30"), ("9h", "09:00"), ("9:05", "09:05"), ("14H30", "14:30")] {
            #expect(try time.parse(typed) == [.text(stored)], "\(typed)")
        }
        for typed in ["24h00", "14h3", "1430", "midi", "14:60", ""] {
            #expect(throws: SchemaError.self, "\(typed)") { try time.parse(typed) }
        }
    }

    @Test func valuesRoundTripThroughTheirEncoding() throws {
        let values: [FieldValue] = [
            .text("Élodie"), .date(PartialDate(year: 1990, month: 0, day: 0)), .enumeration("hiv"), .boolean(false),
            .integer(-3), .reference(RecordID(Identifier128(high: 5, low: 6))),
        ]
        for value in values { #expect(try FieldValue(decoding: value.encoded) == value) }
    }

    /// Typed values (the web form's, the store's API) meet the bounds text meets on the command line.
    @Test(arguments: [
        (FieldAssignment("family_name", [.integer(5)]), "family_name: '5' is not valid; expected a value of kind text"),
        (FieldAssignment("family_name", [.text("Abcdefghijk")]), "1 to 10 characters"),
        (FieldAssignment("family_name", [.text("  ")]), "not blank"),
        (FieldAssignment("birth_date", [.date(PartialDate(year: 2026, month: 2, day: 30))]), "YYYY-MM-DD"),
        (FieldAssignment("birth_date", [.date(PartialDate(year: 1700, month: 0, day: 0))]), "between 1850 and 2200"),
        (FieldAssignment("sex", [.enumeration("robot")]), "allowed values: female, male"),
        (FieldAssignment("languages", [.enumeration("fr,ar")]), "is not valid"),
        (FieldAssignment("score", [.integer(25)]), "from 0 to 24"),
        (FieldAssignment("sex", [.enumeration("female"), .enumeration("male")]), "expected one value"),
        (FieldAssignment("hiv", [.boolean(true)]), "person has no field 'hiv'"),
    ])
    func badTypedValuesAreRefusedWithTheTextWording(assignment: FieldAssignment, expected: String) {
        #expect {
            _ = try schema.check([assignment], type: "person")
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test func typedValuesPassAndAFieldGivenTwiceDoesNot() throws {
        let checked = try schema.check(
            [
                FieldAssignment("family_name", [.text("Diallo")]),
                FieldAssignment("languages", [.enumeration("ar"), .enumeration("fr")]),
                FieldAssignment("birth_date", nil),
            ], type: "person")
        #expect(checked.map(\.0.name) == ["family_name", "languages", "birth_date"])
        #expect(throws: SchemaError.repeatedField("sex")) {
            try schema.check([FieldAssignment("sex", [.enumeration("male")]), FieldAssignment("sex", nil)], type: "person")
        }
    }
}
