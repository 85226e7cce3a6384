import Foundation
import ServiceLifecycle

/// The loop of a worker that finds its work in the database: after the migrations, it takes
/// Junction's clock from the database (another instance may have moved it) and runs `step`
/// every `interval` until the server stops gracefully. A step in progress finishes first: cut
/// short, its work would be done again after its lease.
struct PollingLoop: Sendable {
    let dependencies: Dependencies
    let gate: StartGate
    let name: String
    let interval: Duration

    /// Runs until shutdown. `step` returns whether it found work (then the next step runs at once).
    func run(_ step: () async throws -> Bool) async {
        await gate.wait()
        let stopping = StopFlag()
        await withGracefulShutdownHandler {
            while !stopping.isStopped && !Task.isCancelled {
                var busy = false
                do {
                    dependencies.clock.observe(offset: try await dependencies.store.clockOffset())
                    busy = try await step()
                } catch {
                    dependencies.logger.error("\(name): \(String(reflecting: error))")
                    try? await Task.sleep(for: .seconds(1))
                    continue
                }
                if !busy { try? await Task.sleep(for: interval) }
            }
        } onGracefulShutdown: {
            stopping.stop()
        }
    }
}

/// Says yes at most once per `interval` (work a loop does less often than it polls).
final class Every: @unchecked Sendable {
    private let lock = NSLock()
    private let interval: Duration
    private var next = ContinuousClock.now

    init(_ interval: Duration) { self.interval = interval }

    func due() -> Bool {
        lock.withLock {
            guard ContinuousClock.now >= next else { return false }
            next = ContinuousClock.now + interval
            return true
        }
    }
}
