import ConnectModel

/// Balance transactions (written by ``ObjectTransaction/record(_:)``) and the balances they sum to.
public protocol BalanceStore: Sendable {
    /// Available and pending per currency at `now`.
    func balance(of account: String, now: Int) async throws -> [BalanceAmount]
    func balanceTransaction(_ id: String, account: String) async throws -> BalanceEntry?
    func balanceTransactions(account: String, type: String?, source: String?, page: PageRequest) async throws
        -> Page<BalanceEntry>
    /// Accounts holding money that has become available by `now` and not been announced yet.
    func accountsWithFundsNewlyAvailable(now: Int, limit: Int) async throws -> [String]
}
