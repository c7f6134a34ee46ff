import Foundation
import RelaisCore
import RelaisHarness
import RelaisStore
import RelaisTestSupport
import Testing

/// Many field clients syncing with one real `relais serve` at once, beside a connection flood and
/// slow-loris connections. `make test` runs a small team; `make load` runs 100 clients pushing
/// and pulling 1 000 changes each (RELIABILITY.md has the figures).
@Suite("Hub under load", .serialized)
struct HubLoadTests {
    static let environment = ProcessInfo.processInfo.environment
    static let clients = environment["RELAIS_LOAD_CLIENTS"].flatMap(Int.init) ?? 12
    static let changesEach = environment["RELAIS_LOAD_CHANGES"].flatMap(Int.init) ?? 40
    static let slowLoris = environment["RELAIS_LOAD_SLOW_LORIS"].flatMap(Int.init) ?? 16
    static let attemptsMax = 10

    @Test("every client pushes and pulls through a busy hub, beside a flood and slow-loris connections")
    func everyClientCompletes() async throws {
        let folder = TemporaryFolder()
        let hubPath = folder.path + "/hub"
        let (clients, hubChanges) = try Self.prepareTeam(hubPath: hubPath)
        let daemon = try DaemonProcess(data: hubPath, logFolder: folder.path)
        let hostile = HostileTraffic(port: daemon.port, slowLoris: Self.slowLoris)

        let port = daemon.port
        let started = ContinuousClock.now
        let outcomes = await withTaskGroup(of: (LoadClient.Session?, Int).self) { group in
            for client in clients {
                group.addTask { await Self.syncWithRetries(client, port: port) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let wall = ContinuousClock.now - started
        // Slow-loris connections must have lived long enough for the hub to cut some.
        while hostile.slowLorisCut < Self.slowLoris, ContinuousClock.now - started < .seconds(30) {
            try await Task.sleep(for: .milliseconds(200))
        }
        hostile.stop()
        let hubPeakKilobytes = daemon.peakResidentKilobytes
        #expect(daemon.stop() == 0)

        let sessions = outcomes.compactMap(\.0)
        #expect(sessions.count == clients.count, "every client completes a session within \(Self.attemptsMax) attempts")
        let hub = try Replica.open(folder: hubPath, unlock: Passphrases.unlock("test passphrase"), wallClock: TestClock.machine)
        let held = try hub.versionVector
        let hubDevice = hub.keyring.device
        for client in clients {
            // A session cut by a busy hub resumes where it stopped: the totals are what counts.
            #expect(held[client.device] == UInt64(Self.changesEach), "the hub holds every change the client wrote")
            #expect(await client.held[hubDevice] == UInt64(hubChanges), "the client got every change of the hub")
        }
        #expect(hostile.slowLorisCut >= Self.slowLoris, "the hub cuts handshakes that never end")
        #expect(hubPeakKilobytes < 400_000, "the hub's memory stays bounded")

        let times = sessions.map { $0.duration / .milliseconds(1) }.sorted()
        let retries = outcomes.map(\.1).reduce(0, +)
        // A burst of clients beyond the places for handshakes is refused once and retries; more
        // retries than clients means hostile connections hold honest ones' places (before
        // ConnectionAdmission: 11 to 18 for 12 clients, and most of 100 never got through).
        #expect(retries < clients.count, "hostile connections must not turn honest clients away")
        print(
            """
            hub load: \(clients.count) clients, each pushing \(Self.changesEach) changes and pulling \(hubChanges), in \(wall); \
            session p50 \(Int(Self.percentile(0.5, of: times))) ms, p99 \(Int(Self.percentile(0.99, of: times))) ms, \
            max \(Int(times.last ?? 0)) ms; \(retries) retries; hub peak memory \(hubPeakKilobytes / 1_024) MB; \
            flood \(hostile.floodConnections) connections, \
            \(hostile.slowLorisCut) slow-loris connections cut \
            (longest \(hostile.slowLorisLongestMilliseconds) ms)
            """)
    }

    /// The hub's data folder, with its own changes and every client enrolled; then the clients,
    /// in memory, each having written its changes.
    static func prepareTeam(hubPath: String) throws -> (clients: [LoadClient], hubChanges: Int) {
        let hub = try Replica.create(
            folder: hubPath, deviceName: "hub", unlock: Passphrases.unlock("test passphrase"), wallClock: TestClock.machine)
        _ = try hub.createTeam()
        for index in 0..<changesEach { _ = try hub.addPerson(["family_name=Hub\(index)"]) }
        let keyrings = (0..<clients).map { Keyring.generate(deviceName: "laptop-\($0)") }
        let everyClient = VersionVector(Dictionary(uniqueKeysWithValues: keyrings.map { ($0.device, UInt64(changesEach)) }))
        var loadClients: [LoadClient] = []
        for (index, keyring) in keyrings.enumerated() {
            let replica = try Replica.inMemory(keyring: keyring, wallClock: TestClock.machine)
            try replica.join(try hub.enrolDirectly(keyring))
            for person in 0..<changesEach { _ = try replica.addPerson(["family_name=Laptop\(index)-\(person)"]) }
            loadClients.append(try LoadClient(replica: replica, alsoHeld: everyClient))
        }
        let hubChanges = Int(try hub.versionVector[hub.keyring.device])
        return (loadClients, hubChanges)
    }

    /// A session, retried after a pause when it fails (the hub busy, a connection cut), as the
    /// daemon's scheduler would; returns it and the number of retries.
    static func syncWithRetries(_ client: LoadClient, port: Int) async -> (LoadClient.Session?, Int) {
        for attempt in 0..<attemptsMax {
            if let session = try? await client.sync(port: port), session.completed { return (session, attempt) }
            try? await Task.sleep(for: .seconds(1))
        }
        return (nil, attemptsMax)
    }

    static func percentile(_ fraction: Double, of sorted: [Double]) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
    }
}
