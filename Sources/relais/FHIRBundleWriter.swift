import Foundation
import RelaisStore

/// Writes a FHIR bundle entry by entry, one entry a line: a hub's 10^5 persons never stand in
/// memory as one JSON tree (which took 5.6 GB). It is written owner-only beside its place, as
/// `FILE.part`, and takes its name once complete: an interrupted export (an error, Ctrl-C, a
/// stop) leaves no half bundle of personal data behind.
///
/// Files are encoded and written on a queue of their own while the next ones are read, so an
/// export keeps both cores busy; a bounded number wait there, so memory stays flat.
final class FHIRBundleWriter: @unchecked Sendable {  // What it writes is touched on `queue` only.
    private static let interruptionSignals = [SIGINT, SIGTERM, SIGHUP]
    private let queue = DispatchQueue(label: "relais.fhir-writer")
    private let waiting = DispatchSemaphore(value: 256)
    private let path: String
    private let partial: String
    private let handle: FileHandle
    private var interruptions: [any DispatchSourceSignal] = []
    private let bundle: FHIRBundle
    private let encoder = JSONEncoder()
    private var pending = Data()
    private var entries = 0
    /// The first write that failed; nothing is written after it.
    private var failure: (any Error)?

    init(path: String, bundle: FHIRBundle) throws {
        (self.path, self.partial, self.bundle) = (path, path + ".part", bundle)
        // Before the file exists: an interruption from then on removes it.
        for signal in Self.interruptionSignals {
            Foundation.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler { [partial] in
                unlink(partial)
                exit(128 + signal)
            }
            source.resume()
            interruptions.append(source)
        }
        try? FileManager.default.removeItem(atPath: partial)
        handle = try OutputFile.createOwnerOnly(partial)
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        pending.append(contentsOf: #"{"resourceType":"Bundle","type":"collection","entry":["#.utf8)
    }

    func add(_ file: PersonFile) {
        waiting.wait()
        queue.async {
            self.add(self.bundle.resources(of: file))
            self.waiting.signal()
        }
    }

    /// Writes the directory's partners and closes the bundle.
    func finish(partners: [RecordView]) throws {
        let failure: (any Error)? = queue.sync {
            for partner in partners { add(bundle.resources(of: partner)) }
            pending.append(contentsOf: "\n]}\n".utf8)
            flush(every: 0)
            do {
                try handle.synchronize()
                try handle.close()
            } catch {
                self.failure = self.failure ?? error
            }
            return self.failure
        }
        defer { endInterruptions() }
        if let failure {
            unlink(partial)
            throw CommandError(description: "cannot write \(path): \(failure.localizedDescription)")
        }
        guard rename(partial, path) == 0 else {
            unlink(partial)
            throw CommandError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Removes what was written of a bundle that will not be finished.
    func abandon() {
        queue.sync {
            try? handle.close()
            unlink(partial)
        }
        endInterruptions()
    }

    /// Once the bundle has its name or is gone, an interruption is an ordinary one again.
    private func endInterruptions() {
        for source in interruptions { source.cancel() }
        interruptions.removeAll()
        for signal in Self.interruptionSignals { Foundation.signal(signal, SIG_DFL) }
    }

    private func add(_ resources: [[String: Any]]) {
        for resource in resources where failure == nil {
            do {
                let entry = try encoder.encode(JSONValue(FHIRBundle.entry(resource)))
                pending.append(contentsOf: (entries == 0 ? "\n" : ",\n").utf8)
                pending.append(entry)
                entries += 1
            } catch {
                failure = error
            }
        }
        flush(every: 1 << 20)
    }

    private func flush(every size: Int) {
        guard pending.count >= size, failure == nil else { return }
        do {
            try handle.write(contentsOf: pending)
        } catch {
            failure = error
        }
        pending.removeAll(keepingCapacity: true)
    }
}
