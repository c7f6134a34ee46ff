import Dispatch
import Foundation
import RelaisCore
import RelaisDaemon
import RelaisStore
import Synchronization

/// What needs doing, computed on this laptop from every file: rights lapsed or ending within 60
/// days, appointments in the coming week, referrals still proposed a month on, follow-ups planned
/// at recent visits, files still awaiting their content, probable duplicates. Reading every file takes seconds on an
/// old laptop, so the list is kept in memory (never on disk) and computed again in the background
/// whenever the replica changes; the page shows the last one at once.
final class TodayTasks: Sendable {
    struct Task: Sendable {
        let person: String
        let name: String
        let what: String
        /// Sorts the list: the soonest first.
        let when: String
    }

    struct Computed: Sendable {
        let rights: [Task]
        let appointments: [Task]
        let referrals: [Task]
        let followUps: [Task]
        let incomplete: [Task]
        /// Pairs of files that look like one person (`Duplicates`), for Aujourd'hui and Doublons.
        let duplicates: [Duplicates.Pair]
    }

    private let latest = Mutex<Computed?>(nil)
    private let views: PersonViews
    private let labels: SchemaLabels

    init(views: PersonViews, labels: SchemaLabels) {
        self.views = views
        self.labels = labels
    }

    /// The last list computed; nil until the first is done.
    var current: Computed? { latest.withLock { $0 } }

    /// Computes the list now, then again after each change of the replica, until cancelled.
    func follow(_ events: StoreSubscription) async {
        await refreshAside()
        while await events.next() != nil {
            // A session applies batch after batch: wait for the last before reading every file again.
            while await events.next(until: .now + Limits.tasksSettle) != nil {}
            await refreshAside()
        }
    }

    /// `refresh` on a thread of its own: reading every file takes seconds, and the concurrency
    /// pool's few threads carry the sessions and the node.
    private func refreshAside() async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                self.refresh()
                continuation.resume()
            }
        }
    }

    func refresh(today: Date = Date()) {
        let computed = compute(today: today)
        latest.withLock { $0 = computed }
    }

    private func compute(today: Date) -> Computed {
        let day = LocalTime.day(today)
        let in7 = LocalTime.day(today, plus: 7)
        let in60 = LocalTime.day(today, plus: 60)
        let before30 = LocalTime.day(today, plus: -30)
        let before14 = LocalTime.day(today, plus: -14)
        var rights: [Task] = [], appointments: [Task] = [], referrals: [Task] = [], followUps: [Task] = [],
            incomplete: [Task] = []
        var phones: [String: [String]] = [:]
        let persons = (try? views.listPersons()) ?? []
        for summary in persons where !summary.damaged {
            guard let file = try? views.personFile(summary.id) else { continue }
            let name = Site.name(given: summary.givenNames, family: summary.familyName)
            phones[file.id] = file.fields.first { $0.name == "phone" }?.values
            for (label, state, expires) in Self.rights(of: file, labels: labels) {
                if state == "lapsed" {
                    rights.append(Task(person: file.id, name: name, what: "\(label) : droits échus", when: ""))
                } else if state != "none", let end = expires, Self.lastDay(of: end) <= in60 {
                    let verb = Self.lastDay(of: end) < day ? "fin des droits le" : "droits jusqu'au"
                    rights.append(
                        Task(person: file.id, name: name, what: "\(label) : \(verb) \(FrenchText.date(end))", when: end))
                }
            }
            for record in file.linked {
                let date = record.fields.value(of: "date") ?? ""
                switch record.type {
                case "appointment" where date >= day && date <= in7 && record.fields.value(of: "outcome") == nil:
                    let with = record.fields.value(of: "with").map { " avec \($0)" } ?? ""
                    appointments.append(
                        Task(person: file.id, name: name, what: "Rendez-vous le \(FrenchText.date(date))\(with)", when: date))
                case "referral" where record.fields.value(of: "status") == "proposed" && !date.isEmpty && date <= before30:
                    let to =
                        record.fields.value(of: "to").map { " vers " + labels.label(value: $0, field: "to", of: "referral") }
                        ?? ""
                    referrals.append(
                        Task(
                            person: file.id, name: name,
                            what: "Orientation\(to) proposée le \(FrenchText.date(date)), sans nouvelles", when: date))
                case "visit" where date >= before14 && date <= day:
                    if let next = record.fields.value(of: "follow_up") {
                        followUps.append(
                            Task(
                                person: file.id, name: name, what: "Suite prévue le \(FrenchText.date(date)) : \(next)",
                                when: date))
                    }
                default: break
                }
            }
            if file.incomplete {
                incomplete.append(
                    Task(person: file.id, name: name, what: "Fiche en attente de la prochaine synchronisation", when: ""))
            }
        }
        func sorted(_ tasks: [Task]) -> [Task] { tasks.sorted { ($0.when, $0.name) < ($1.when, $1.name) } }
        return Computed(
            rights: sorted(rights), appointments: sorted(appointments), referrals: sorted(referrals),
            followUps: sorted(followUps),
            incomplete: sorted(incomplete), duplicates: Duplicates.pairs(in: persons, phones: phones))
    }

    /// Where each scheme stands: its latest episode (by the date its rights opened, or its file
    /// was filed), or for a scheme with none, the fields a file written before episodes holds.
    static func rights(of file: PersonFile, labels: SchemaLabels) -> [(label: String, state: String?, expires: String?)] {
        var latest: [String: RecordView] = [:]
        for record in file.linked where record.type == "rights_episode" {
            guard let scheme = record.fields.value(of: "scheme") else { continue }
            let since = { (episode: RecordView) in episode.fields.value(of: "opened") ?? episode.fields.value(of: "filed") ?? ""
            }
            if latest[scheme].map({ since($0) <= since(record) }) ?? true { latest[scheme] = record }
        }
        var found = latest.sorted { $0.key < $1.key }.map { scheme, episode in
            (
                labels.label(value: scheme, field: "scheme", of: "rights_episode"), episode.fields.value(of: "state"),
                episode.fields.value(of: "expires")
            )
        }
        for (scheme, label) in labels.groups.sorted(by: { $0.key < $1.key }) where latest[scheme] == nil {
            found.append(
                (label, file.fields.value(of: "rights_\(scheme)_state"), file.fields.value(of: "rights_\(scheme)_expires")))
        }
        return found
    }

    /// The last day a partial date may mean: rights known to end "in March 2025" end by its 31st.
    static func lastDay(of partial: String) -> String {
        switch partial.count {
        case 4: return partial + "-12-31"
        case 7: return partial + "-31"
        default: return partial
        }
    }
}
