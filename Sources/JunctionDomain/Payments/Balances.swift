import ConnectModel
import JunctionStorage

/// `balance.available` (issue 12): when money that arrived pending (a charge's net, two days on)
/// becomes available on Junction's clock, the account's balance is sent as an event, once for
/// everything that became available since the last one. Money available at once (a transfer
/// from available funds, a refund's debit) does not announce itself, as on Stripe.
public struct Balances: Sendable {
    let store: any ObjectStore

    public init(store: any ObjectStore) {
        self.store = store
    }

    /// Sends `balance.available` to `account` if some of its money became available by `now`, in
    /// one transaction with marking it said.
    public func announceAvailable(_ account: String, now: Int) async throws {
        try await store.write { tx in
            guard let found = try await tx.account(account),
                try await tx.announceAvailableFunds(of: account, now: now)
            else { return }
            let total = try await tx.totalBalance(of: account)
            let available = try await tx.availableBalance(of: account, now: now)
            let amounts = Set(total.keys).union(available.keys).sorted().map { currency in
                let ready = available[currency] ?? 0
                return BalanceAmount(currency: currency, available: ready, pending: (total[currency] ?? 0) - ready)
            }
            try await tx.emit(
                .balanceAvailable, BalanceAmount.document(amounts, defaultCurrency: found.defaultCurrency),
                caller: Caller(account: account, request: .none, now: now))
        }
    }
}
