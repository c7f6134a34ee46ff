import Logging
import RelaisStore
import ServiceLifecycle

/// Keeps the activity report's files ready (`ActivityReports.keepFiles`): once the daemon starts,
/// and again a moment after the replica changes. The report then opens kept files instead of
/// reading every person's records: a hub's first report after an upgrade, a repair or a sync of
/// many files takes seconds, not half a minute, whether the coordinator asks for it in the app or
/// with `relais report`. Its own writes wake it once more, to find nothing left to read.
struct ReportFilesService: Service {
    let node: LocalNode
    let logger: Logger

    func run() async throws {
        let events = node.events.subscribe()
        await cancelWhenGracefulShutdown {
            await keepFiles()
            while let event = await events.next(), event != .revoked {
                // A busy hub changes many times a second: one reading for all of them.
                try? await Task.sleep(for: Limits.reportFilesSpacing)
                while let event = await events.next(until: .now) {
                    // A revoked device has destroyed its keyring: nothing more to read with it.
                    if event == .revoked { return }
                }
                guard !Task.isCancelled else { return }
                await keepFiles()
            }
        }
    }

    private func keepFiles() async {
        do {
            let (read, kept) = try await node.reports.keepFiles()
            // Files whose keys are not all held are read on each pass and never kept: not news.
            guard kept > 0 else { return }
            logger.info("report files kept", metadata: ["read": "\(read)", "kept": "\(kept)"])
        } catch {
            // The report reads these files itself when they are not kept: nothing is lost.
            logger.notice("report files not kept", metadata: ["error": "\(error)"])
        }
    }
}
