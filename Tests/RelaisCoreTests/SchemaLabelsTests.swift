import Foundation
import RelaisCore
import Testing

@Suite struct SchemaLabelsTests {
    let schema = Schema.sample

    func labels(
        _ person: String,
        values: String = #"{"sex": {"female": "Femme", "male": "Homme"}, "languages": {"ar": "arabe", "fr": "français"}}"#
    ) throws -> SchemaLabels {
        let json = """
            {"version": 1, "language": "fr", "record_types": {"person": "Personne"},
             "linked_sections": {}, "sections": [{"code": "identity", "label": "Identité"}],
             "groups": {}, "booleans": {"true": "Oui", "false": "Non"}, "acronyms": {},
             "fields": {"person": {\(person)}}, "values": \(values)}
            """
        return try JSONDecoder().decode(SchemaLabels.self, from: Data(json.utf8))
    }

    /// Every field of the sample but `family_name` and `sex`, which the tests vary.
    let others =
        #""birth_date": {"label": "Date de naissance", "section": "identity"}, "languages": {"label": "Langues", "section": "identity", "values": "languages"}, "has_gp": {"label": "A un médecin traitant", "section": "identity"}, "score": {"label": "Score", "section": "identity"}"#
    var complete: String {
        #""family_name": {"label": "Nom", "section": "identity"}, "sex": {"label": "Sexe", "section": "identity", "values": "sex"}, "#
            + others
    }

    @Test func labelsThatNameEveryCodeAndNoOtherMatch() throws {
        let labels = try labels(complete)
        #expect(labels.mismatches(with: schema) == [])
        #expect(labels.label(field: "sex", of: "person") == "Sexe")
        #expect(labels.label(value: "female", field: "sex", of: "person") == "Femme")
        #expect(labels.label(field: "nationality", of: "person") == "nationality")
    }

    @Test func everyCodeWithoutALabelAndEveryLabelWithoutACodeIsNamed() throws {
        let others = self.others
        #expect(
            try labels(#""sex": {"label": "Sexe", "section": "identity", "values": "sex"}, "# + others).mismatches(with: schema)
                == [
                    "person.family_name"
                ])
        #expect(
            try labels(complete + #", "phone": {"label": "Téléphone", "section": "identity"}"#).mismatches(with: schema) == [
                "person.phone"
            ])
        #expect(
            try labels(
                complete, values: #"{"sex": {"female": "Femme", "x": "X"}, "languages": {"ar": "arabe", "fr": "français"}}"#
            ).mismatches(with: schema) == [
                "person.sex=male", "person.sex=x",
            ])
        #expect(
            try labels(
                #""family_name": {"label": "Nom", "section": "nowhere"}, "sex": {"label": "Sexe", "section": "identity", "values": "sex"}, "#
                    + others
            )
            .mismatches(with: schema) == ["person.family_name section"])
        #expect(
            try labels(
                #""family_name": {"label": "Nom", "section": "identity", "group": "g"}, "sex": {"label": "Sexe", "section": "identity", "values": "sex"}, "#
                    + others
            )
            .mismatches(with: schema) == ["person.family_name group g"])
    }
}
