import JunctionStorage
import Logging
import ServiceLifecycle

/// Writes that must still reach the database after their request has been answered: the
/// answer to an idempotency key, or giving a key back, when PostgreSQL was out of reach at that
/// moment. Left undone, the key would stay "in flight" (409 to every retry) until its lease ran
/// out; done here, retries see it as soon as the database is back.
final class Bookkeeping: Sendable {
    /// How long a write is retried: an in-flight claim's lease, after which it no longer matters.
    static let patience: Duration = .seconds(120)

    struct Write: Sendable {
        var what: String
        var run: @Sendable () async throws -> Void
    }

    let writes: AsyncStream<Write>
    private let continuation: AsyncStream<Write>.Continuation

    init() {
        (writes, continuation) = AsyncStream.makeStream(of: Write.self)
    }

    /// Queues `run` to be retried until it is written, while the store is unavailable.
    func later(_ what: String, _ run: @escaping @Sendable () async throws -> Void) {
        continuation.yield(Write(what: what, run: run))
    }

    func finish() { continuation.finish() }
}

/// Runs the queued writes of ``Bookkeeping``, each on its own (one stuck write holds no other).
/// On shutdown it stops taking new ones and gives those under way a few seconds.
struct BookkeepingService: Service {
    let bookkeeping: Bookkeeping
    let logger: Logger

    func run() async throws {
        let (bookkeeping, logger) = (self.bookkeeping, self.logger)
        let pending = InFlight()
        try? await withThrowingDiscardingTaskGroup { group in
            await withGracefulShutdownHandler {
                for await write in bookkeeping.writes {
                    pending.add(1)
                    group.addTask {
                        await StoreRetry.persistently(for: Bookkeeping.patience, logger: logger, what: write.what) {
                            try await RequestBudget.within(.seconds(15)) { try await write.run() }
                        }
                        pending.add(-1)
                    }
                }
            } onGracefulShutdown: {
                bookkeeping.finish()
            }
            // Shutting down: what is still unwritten after a few seconds is left to the lease
            // (throwing cancels the writes under way).
            let end = ContinuousClock.now + .seconds(5)
            while pending.count > 0 {
                guard ContinuousClock.now < end else { throw CancellationError() }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
    }
}
