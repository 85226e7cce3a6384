import ConnectModel

/// Accounts: their Connect-relevant state, typed, in one row each.
public protocol AccountStore: Sendable {
    /// Inserts a new account with its keys, and its first connection and that connection's code
    /// if given, and `events`, in one transaction.
    func insertAccount(_ account: Account, keys: [APIKey], connection: Connection?, code: OAuthCode?, events: [Event])
        async throws
    func account(_ id: String) async throws -> Account?
    /// Reads, changes and writes one account in one transaction, with the events `emitting`
    /// derives from the account before and after (E1); `nil` if it does not exist.
    func updateAccount(
        _ id: String, emitting: @escaping @Sendable (Account, Account) -> [Event],
        _ change: @escaping @Sendable (inout Account) throws -> Void
    ) async throws -> Account?
    /// The accounts whose next automatic payout is due at `now` (F7), soonest first.
    func accountsDueForPayout(now: Int, limit: Int) async throws -> [String]
    /// Deletes an account and ends its connections; returns whether it existed.
    func deleteAccount(_ id: String, now: Int) async throws -> Bool
    /// Accounts with an active connection to `application`, newest first (C10).
    func connectedAccounts(of application: String, page: PageRequest) async throws -> Page<Account>
    func accounts(ownedBy user: String) async throws -> [Account]
}

extension AccountStore {
    public func insertAccount(
        _ account: Account, keys: [APIKey] = [], connection: Connection? = nil, code: OAuthCode? = nil,
        events: [Event] = []
    ) async throws {
        try await insertAccount(account, keys: keys, connection: connection, code: code, events: events)
    }
}
