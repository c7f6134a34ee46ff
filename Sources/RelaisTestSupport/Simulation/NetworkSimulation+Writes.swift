import RelaisCore
import RelaisHarness
import RelaisStore

extension NetworkSimulation {
    private static let names = ["Diallo", "Nguyen", "Popescu", "Élodie", "Ahmed", "Kovač"]
    private static let years = ["1985", "1986-04", "1990-02-11", "1979"]

    /// A mediator's write on a running node; each one that succeeds is a change it must never lose.
    func writeSomething() throws {
        guard let index = upNodes.randomElement(using: &generator) else { return }
        let replica = nodes[index].replica
        let persons = try replica.listPersons().map(\.id)
        let person = persons.randomElement(using: &generator)
        do {
            switch Int.random(in: 0..<100, using: &generator) {
            case 0..<30:
                _ = try replica.addPerson([
                    "family_name=\(Self.names.randomElement(using: &generator)!)",
                    "birth_date=\(Self.years.randomElement(using: &generator)!)",
                ])
            case 30..<65:
                guard let person else { return }
                try replica.updatePerson(
                    person, set: ["birth_date=\(Self.years.randomElement(using: &generator)!)"],
                    unset: Bool.random(using: &generator) ? ["phone"] : [])
            case 65..<88:
                guard let person else { return }
                _ = try replica.addLinkedRecord(
                    type: "visit", person: person, set: ["kind=home_visit", "note=step \(step) by \(nodes[index].name)"])
            case 88..<95:
                guard let person, let other = persons.filter({ $0 != person }).randomElement(using: &generator) else { return }
                try replica.merge(keep: person, duplicate: other)
            default:
                guard let person else { return }
                for id in try replica.erase(person) { erased[id.hex] = replica.keyring.device }
            }
        } catch {
            // A write the store refuses as bad input (say, on a person erased meanwhile) is
            // reported to the mediator, not saved: nothing to keep.
            guard error.isBadInput else { throw error }
            return
        }
        let device = replica.keyring.device
        acknowledged.append((device, try replica.versionVector[device]))
        statistics.writes += 1
    }

    /// One saved write on the first node that no other node will receive: for checking the checks.
    public func writeUnsynced() throws {
        _ = try nodes[0].replica.addPerson(["family_name=Unsynced"])
        acknowledged.append(
            (nodes[0].replica.keyring.device, try nodes[0].replica.versionVector[nodes[0].replica.keyring.device]))
    }
}
