import ArgumentParser
import Foundation
import RelaisCore
import RelaisStore

/// `relais demo-caseload`: a fictional caseload for `make demo`, written in one process (one
/// command per write would unlock the keyring hundreds of times). Names and languages are those
/// of the populations in the outreach teams' reports; every person is invented.
struct DemoCaseloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-caseload", abstract: "Fill a demo replica with a fictional caseload (for make demo).",
        shouldDisplay: false)
    @OptionGroup var options: DataOptions
    @Option(help: "How many persons (1 to 10000).") var persons = 300

    func validate() throws {
        guard (1...10_000).contains(persons) else { throw ValidationError("--persons must be 1 to 10000") }
    }

    /// A population: family names, given names, and the languages spoken.
    private struct Population {
        let families: [String]
        let given: [String]
        let languages: [String]
    }

    private static let populations = [
        Population(
            families: ["Stoica", "Dumitru", "Lăcătuș", "Căldăraru", "Rostaș", "Gheorghe", "Mihai", "Ion"],
            given: ["Florin", "Ionela", "Mirela", "Costel", "Ramona", "Daniel", "Elena", "Marian"], languages: ["ro", "rom"]),
        Population(
            families: ["Diallo", "Traoré", "Camara", "Keïta", "Sow", "Bah", "Coulibaly", "Konaté", "Sylla", "Touré"],
            given: ["Aminata", "Mamadou", "Fatoumata", "Ousmane", "Kadiatou", "Ibrahima", "Mariama", "Sékou"],
            languages: ["ff", "bm", "wo", "fr"]),
        Population(
            families: ["Benali", "Haddad", "Mansouri", "Belkacem", "El Idrissi", "Bouzid"],
            given: ["Karima", "Youssef", "Nadia", "Rachid", "Samira", "Mohamed"], languages: ["ar", "ber", "fr"]),
        Population(
            families: ["Ahmadi", "Rahimi", "Hashimi", "Sultani"], given: ["Ahmad", "Farid", "Zahra", "Nasrin"],
            languages: ["prs", "ps", "fa"]),
        Population(
            families: ["Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko"], given: ["Olena", "Oksana", "Andriy", "Iryna"],
            languages: ["uk", "ru"]),
        Population(families: ["Beridze", "Kapanadze"], given: ["Nino", "Giorgi"], languages: ["ka", "ru"]),
    ]

    func run() throws {
        let replica = try options.openReplica()
        var random = SystemRandomNumberGenerator()
        let today = Date()
        func day(_ offset: Int) -> String { LocalTime.day(today, plus: offset) }
        func write(_ type: String, _ texts: [String]) throws -> [FieldAssignment] {
            try FieldInput.assignments(set: texts, type: type, schema: replica.schema, usage: "")
        }
        var created = 0
        for index in 0..<persons {
            let population = Self.populations.randomElement(using: &random)!
            let family = population.families.randomElement(using: &random)!
            let given = population.given.randomElement(using: &random)!
            let year = Int.random(in: 1950...2006, using: &random)
            var fields = [
                "family_name=\(family)", "given_names=\(given)",
                Bool.random(using: &random)
                    ? "birth_date=\(year)"
                    : "birth_date=\(year)-\(String(format: "%02d", Int.random(in: 1...12, using: &random)))",
                "languages=\(population.languages.shuffled(using: &random).prefix(Int.random(in: 1...2, using: &random)).joined(separator: ","))",
                "housing=\(["street", "squat", "camp_or_shantytown", "emergency_shelter", "social_hotel", "family_or_friends"].randomElement(using: &random)!)",
                "has_gp=\(Int.random(in: 0..<3, using: &random) == 0 ? "yes" : "no")",
                "programme_status=\(["spotted", "being_assessed", "included", "included", "included"].randomElement(using: &random)!)",
            ]
            // One person in forty gave a phone number, and was written again elsewhere under a misspelt name.
            let phone = String(format: "6 %02d %02d %02d %02d", index % 100, index / 100 % 100, year % 100, year / 100)
            if index % 40 == 20 { fields.append("phone=0\(phone)") }
            let scheme = ["ame", "puma", "css"].randomElement(using: &random)!
            var rights = ["scheme=\(scheme)"]
            let opened = -Int.random(in: 10...170, using: &random)
            let filed = "filed=\(day(opened - Int.random(in: 15...75, using: &random)))"
            switch Int.random(in: 0..<4, using: &random) {
            case 0:
                rights += [
                    "state=open", filed, "opened=\(day(opened))", "expires=\(day(Int.random(in: -10...50, using: &random)))",
                ]
            case 1: rights += ["state=filed", "filed=\(day(-Int.random(in: 5...60, using: &random)))"]
            case 2: rights += ["state=to_check"]
            default:
                rights += [
                    "state=open", filed, "opened=\(day(opened))", "expires=\(day(Int.random(in: 90...300, using: &random)))",
                ]
            }
            let person = try replica.addPerson(write("person", fields)).hex
            try replica.addLinkedRecord(type: "rights_episode", person: person, write("rights_episode", rights))
            let team = Self.teams.randomElement(using: &random)!
            if fields.contains("programme_status=included") {
                let inclusion = -Int.random(in: 30...360, using: &random)
                var episode = [
                    "referrer=Maraude", "inclusion_date=\(day(inclusion))",
                    "empowerment_entry=\(Int.random(in: 1...4, using: &random))",
                ]
                if Int.random(in: 0..<3, using: &random) == 0 {
                    episode += [
                        "exit_date=\(day(inclusion + Int.random(in: 20...(-inclusion), using: &random)))",
                        "exit_reason=\(["autonomous", "autonomous", "handed_over", "lost_to_follow_up", "moved_away"].randomElement(using: &random)!)",
                        "empowerment_exit=\(Int.random(in: 2...5, using: &random))",
                    ]
                }
                try replica.addLinkedRecord(type: "programme_episode", person: person, write("programme_episode", episode))
            }
            created += 1
            for _ in 0..<Int.random(in: 1...5, using: &random) {
                var visit = [
                    "date=\(day(-Int.random(in: 0...180, using: &random)))",
                    "kind=\(["outreach_consultation", "drop_in_session", "interview", "home_visit", "accompaniment"].randomElement(using: &random)!)",
                    "place_kind=\(["day_centre", "squat", "camp", "food_distribution", "street"].randomElement(using: &random)!)",
                    "actions=\(["rights_file_built", "rapid_hiv_test", "health_education", "care", "vaccination"].shuffled(using: &random).prefix(2).joined(separator: ","))",
                    "care_team=\(team)",
                ]
                if population.languages[0] != "fr", Int.random(in: 0..<3, using: &random) == 0 {
                    visit += [
                        "interpreter_used=\(population.languages[0])",
                        "interpreter_mode=\(["phone", "in_person"].randomElement(using: &random)!)",
                        "interpreter_minutes=\([20, 30, 45, 60].randomElement(using: &random)!)",
                    ]
                }
                if Int.random(in: 0..<4, using: &random) == 0 {
                    visit.append(
                        "follow_up=\(["Rappeler pour le dossier AME", "Accompagner à la PASS", "Prendre RDV médecin traitant"].randomElement(using: &random)!)"
                    )
                }
                try replica.addLinkedRecord(type: "visit", person: person, write("visit", visit))
            }
            if Int.random(in: 0..<3, using: &random) == 0 {
                try replica.addLinkedRecord(
                    type: "referral", person: person,
                    write(
                        "referral",
                        [
                            "to=\(["pass", "cpam", "gp", "cegidd", "csapa"].randomElement(using: &random)!)",
                            "date=\(day(-Int.random(in: 1...90, using: &random)))",
                            "status=\(["proposed", "followed", "not_followed"].randomElement(using: &random)!)",
                        ]))
            }
            if Int.random(in: 0..<5, using: &random) == 0 {
                try replica.addLinkedRecord(
                    type: "appointment", person: person,
                    write(
                        "appointment",
                        ["date=\(day(Int.random(in: 0...10, using: &random)))", "with=PASS du CHU", "accompanied=yes"]))
            }
            // One person in forty was created again on another day, the name typed otherwise.
            if index % 40 == 0 {
                try replica.addPerson(
                    write("person", ["family_name=\(family.uppercased())", "given_names=\(given)", "birth_date=\(year)"]))
                created += 1
            }
            if index % 40 == 20 {
                try replica.addPerson(
                    write("person", ["family_name=\(family.dropLast())", "given_names=\(given)", "phone=+33 \(phone)"]))
                created += 1
            }
        }
        try writeTeamActivity(replica, day: day, write: write, using: &random)
        print(
            "\(created) fictional persons written, with their visits, referrals and appointments;"
                + " and six months of permanences and requests from professionals.")
    }

    private static let teams = ["Équipe Nord", "Équipe Sud"]

    /// A weekly permanence per team, and now and then a request from a professional, over six months.
    private func writeTeamActivity(
        _ replica: Replica, day: (Int) -> String, write: (String, [String]) throws -> [FieldAssignment],
        using random: inout SystemRandomNumberGenerator
    ) throws {
        for week in 0..<26 {
            for (team, place) in zip(Self.teams, ["Accueil de jour Saint-Sernin", "Épicerie solidaire des Izards"]) {
                let met = Int.random(in: 6...22, using: &random)
                try replica.addOrganisationRecord(
                    type: "collective_session",
                    write(
                        "collective_session",
                        [
                            "date=\(day(-week * 7 - Int.random(in: 0...4, using: &random)))", "kind=permanence",
                            "place_kind=day_centre", "place_name=\(place)", "care_team=\(team)", "persons_met=\(met)",
                            "interviews=\(Int.random(in: 2...met, using: &random))",
                        ]))
            }
            if week % 2 == 0 {
                try replica.addOrganisationRecord(
                    type: "professional_request",
                    write(
                        "professional_request",
                        [
                            "date=\(day(-week * 7))",
                            "source=\(["gp", "hospital_service", "pass", "social_service", "association"].randomElement(using: &random)!)",
                        ]))
            }
        }
    }
}
