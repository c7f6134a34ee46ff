import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import RelaisCore
import RelaisDaemon
import RelaisHarness
import RelaisStore

/// Row 8: each main page of the app, served by a daemon holding 5 000 persons with a visit each,
/// as a browser on the same laptop gets it (the median of 5 requests after the first).
func appPageRows(folder: String, passphrase: String) throws -> [BenchRow] {
    let persons = 5_000
    var secret = Array(passphrase.utf8)
    let data = folder + "/app"
    do {
        let replica = try Replica.create(
            folder: data, deviceName: "app", unlock: KeyringUnlock.passphrase(&secret), wallClock: SystemClock.now)
        let names = ["Diallo", "Stoica", "Benali", "Ahmadi", "Kovalenko", "Traoré", "Camara", "Haddad", "Sow", "Beridze"]
        for index in 0..<persons {
            let person = try replica.addPerson([
                "family_name=\(names[index % names.count])\(index / names.count)", "given_names=Awa",
                "birth_date=\(1950 + index % 50)",
            ]).hex
            try replica.addLinkedRecord(
                type: "rights_episode", person: person, set: ["scheme=ame", "state=open", "expires=2027-0\(1 + index % 9)"])
            try replica.addLinkedRecord(
                type: "visit", person: person, set: ["date=2026-11-\(10 + index % 18)", "kind=interview"])
        }
    }
    let ui = try FreePort.find()
    let daemon = try DaemonProcess(
        data: data, passphrase: passphrase, logFolder: folder, arguments: ["--ui", "127.0.0.1:\(ui)"])
    defer { daemon.stop() }
    let browser = PageClient(base: "http://127.0.0.1:\(ui)")
    var token = try browser.token(in: browser.get("/connexion"))
    _ = try browser.post("/connexion", ["jeton": token, "phrase": passphrase])
    // Aujourd'hui's list is computed in the background once the daemon starts (67 s over these 5 000
    // persons, measured): wait up to 5 min for it, so that the page is timed as a mediator sees it.
    var polls = 0
    while polls < 3_000, try browser.get("/").contains("en cours de calcul") {
        Thread.sleep(forTimeInterval: 0.1)
        polls += 1
    }
    token = try browser.token(in: browser.get("/rechercher"))
    let results = try browser.post("/rechercher", ["jeton": token, "q": "diallo1"])
    guard let file = results.range(of: #"/fiche/[0-9a-f]+"#, options: .regularExpression).map({ String(results[$0]) }) else {
        throw PageClient.Failure(description: "the search page listed no file")
    }
    let pages: [(String, () throws -> String)] = [
        ("Aujourd'hui", { try browser.get("/") }),
        ("Rechercher (results of 'diallo1')", { try browser.post("/rechercher", ["jeton": token, "q": "diallo1"]) }),
        ("Fiche", { try browser.get(file) }),
        ("Historique", { try browser.get(file + "/historique") }),
        ("Modifier (Identité)", { try browser.get(file + "/modifier/identity") }),
        ("Doublons", { try browser.get("/doublons") }),
    ]
    return try pages.map { name, load in
        _ = try load()
        var times: [Double] = []
        for _ in 0..<5 { times.append(try seconds { _ = try load() }) }
        let median = times.sorted()[2] * 1_000
        return BenchRow(
            "8. app page \(name), \(persons) persons held", relais: String(format: "%.1f ms", median), ratio: "goal < 200 ms")
    }
}

/// A browser's requests, one at a time, keeping the session cookie.
final class PageClient {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let base: String
    private let session = URLSession(configuration: .ephemeral)

    init(base: String) { self.base = base }

    func get(_ path: String) throws -> String { try send(URLRequest(url: URL(string: base + path)!)) }

    func post(_ path: String, _ form: [String: String]) throws -> String {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        request.httpBody = Data(
            form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(
                separator: "&"
            )
            .utf8)
        return try send(request)
    }

    /// The CSRF token a page's forms carry.
    func token(in page: String) throws -> String {
        guard let range = page.range(of: #"name="jeton" value="[0-9a-f]+""#, options: .regularExpression) else {
            throw Failure(description: "no form token in the page")
        }
        return String(page[range].dropLast().split(separator: "\"").last ?? "")
    }

    private func send(_ request: URLRequest) throws -> String {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<String, any Error> = .failure(Failure(description: "no answer"))
        session.dataTask(with: request) { data, response, error in
            if let error {
                result = .failure(error)
            } else if let status = (response as? HTTPURLResponse)?.statusCode, status >= 400 {
                result = .failure(Failure(description: "\(request.url?.path ?? "") answered \(status)"))
            } else {
                result = .success(String(decoding: data ?? Data(), as: UTF8.self))
            }
            done.signal()
        }.resume()
        done.wait()
        return try result.get()
    }
}
