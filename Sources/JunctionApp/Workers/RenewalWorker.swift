import JunctionDomain
import ServiceLifecycle

/// Renews subscriptions as Junction's clock passes their period ends (moved by
/// `/_junction/clock/advance` or by time itself). Work is found in the database, so a restart or
/// a second instance changes nothing: each renewal happens once, in its own transaction.
struct RenewalWorker: Service {
    let dependencies: Dependencies
    let gate: StartGate

    func run() async throws {
        let subscriptions = dependencies.subscriptions
        await PollingLoop(
            dependencies: dependencies, gate: gate, name: "subscription renewal", interval: .milliseconds(200)
        )
        .run {
            let now = dependencies.clock.now()
            for due in try await subscriptions.due(now: now, limit: 50) {
                // One subscription that cannot be renewed must not stop the others (or other
                // accounts'): it is logged and tried again later.
                do {
                    try await subscriptions.renew(due.id, account: due.account, now: now)
                } catch {
                    dependencies.logger.error(
                        "subscription \(due.id) of \(due.account) could not be renewed, retrying in an hour: \(error)")
                    try await subscriptions.postpone(due.id, account: due.account, now: now)
                }
            }
            return false
        }
    }
}
