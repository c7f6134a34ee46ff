import RelaisCore
import RelaisStore
import Testing

/// The catalogue the app shows: every code of the bundled schema has its French words.
@Suite struct FrenchLabelsTests {
    @Test func theBundledLabelsNameEveryCodeOfTheBundledSchema() {
        #expect(SchemaLabels.french.mismatches(with: .bundled) == [])
    }

    @Test func theFieldsOwnWordsAreUsed() {
        let labels = SchemaLabels.french
        #expect(labels.label(value: "filed", field: "rights_ame_state", of: "person") == "Dossier déposé")
        #expect(labels.label(value: "proposed", field: "status", of: "referral") == "Proposée")
        #expect(labels.label(value: "ber", field: "languages", of: "person") == "tamazight")
        #expect(labels.label(field: "nir", of: "person") == "Numéro de sécurité sociale")
        #expect(
            labels.sections.map(\.label) == [
                "Identité", "Situation administrative", "Droits en santé (ancienne saisie)", "Conditions de vie", "Santé",
                "Parcours", "Consentement",
            ])
        #expect(labels.label(value: "billing_on_hold", field: "state", of: "rights_episode") == "Facturation mise en attente")
        #expect(labels.label(value: "ame_humanitarian", field: "scheme", of: "rights_episode") == "AME humanitaire")
        #expect(labels.linkedSections["partner"] == "Partenaires")
    }
}
