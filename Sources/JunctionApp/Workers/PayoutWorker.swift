import JunctionDomain
import ServiceLifecycle

/// Makes automatic payouts as Junction's clock passes each account's schedule, announces money
/// that became available (`balance.available`), and moves payouts on as the clock passes their
/// times (pending → in_transit → paid or failed). Work is found in the
/// database: each step happens once, in its own transaction.
struct PayoutWorker: Service {
    let dependencies: Dependencies
    let gate: StartGate

    func run() async throws {
        let payouts = dependencies.payouts
        await PollingLoop(dependencies: dependencies, gate: gate, name: "payouts", interval: .milliseconds(200)).run {
            let now = dependencies.clock.now()
            // Accounts whose schedule has come make their automatic payouts first.
            for account in try await dependencies.store.accountsDueForPayout(now: now, limit: 50) {
                do {
                    try await payouts.payOutAutomatically(account, now: now)
                } catch {
                    dependencies.logger.error("automatic payout of \(account) failed: \(error)")
                }
            }
            // Money that became available is announced (balance.available) before it is paid out.
            for account in try await dependencies.store.accountsWithFundsNewlyAvailable(now: now, limit: 50) {
                do {
                    try await dependencies.balances.announceAvailable(account, now: now)
                } catch {
                    dependencies.logger.error("balance.available of \(account) failed: \(error)")
                }
            }
            let due = try await payouts.due(now: now, limit: 50)
            for payout in due {
                // One payout that cannot move must not hold the others: it is logged and the
                // next pass tries again.
                do {
                    try await payouts.advance(payout.id, account: payout.account, now: now)
                } catch {
                    dependencies.logger.error("payout \(payout.id) of \(payout.account) could not move on: \(error)")
                }
            }
            return due.count == 50
        }
    }
}
