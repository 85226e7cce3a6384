import ConnectModel

/// Everything Junction keeps, behind one small interface. ``SQLStore`` implements it for both
/// SQLite and PostgreSQL.
public protocol Store: Sendable {
    /// Runs the versioned migrations that have not run yet.
    func migrate() async throws

    // Accounts
    /// Inserts a new account, with its first connection and that connection's code if given.
    func insertAccount(_ account: Account, connection: Connection?, code: OAuthCode?, events: [Event]) async throws
    func account(_ id: String) async throws -> Account?
    /// Reads, changes and writes one account in one transaction, with the events `emitting`
    /// derives from the account before and after (E1); `nil` if it does not exist.
    func updateAccount(
        _ id: String, emitting: @Sendable (Account, Account) -> [Event],
        _ change: @Sendable (inout Account) throws -> Void
    ) async throws -> Account?
    /// Deletes an account and ends its connections; returns whether it existed.
    func deleteAccount(_ id: String, now: Int) async throws -> Bool
    /// Accounts with an active connection to `application`, newest first (C10).
    func connectedAccounts(of application: String, limit: Int, cursor: PageCursor, created: CreatedFilter?)
        async throws -> Page<Account>
    func accounts(ownedBy user: String) async throws -> [Account]

    // Applications, users, keys
    func insertApplication(_ application: ConnectApplication, account: Account, keys: [APIKey]) async throws
    func application(_ id: String) async throws -> ConnectApplication?
    /// The application an account runs, if it is a platform's or an extension's own account.
    func application(ownedBy account: String) async throws -> ConnectApplication?
    func insertUser(_ user: User) async throws
    func user(_ id: String) async throws -> User?
    func user(email: String) async throws -> User?
    func insertDirectAccount(_ account: Account, keys: [APIKey]) async throws
    /// The unrevoked key with this hash, its (undeleted) account and that account's application.
    func keyHolder(hash: String) async throws -> KeyHolder?

    // Connections and OAuth
    /// The user's accounts, each with its active connections (P8's picker decides from these).
    func accountsWithConnections(ownedBy user: String) async throws -> [(Account, [Connection])]
    /// Connects `application` to an account, or reuses its active connection (P7), under a lock
    /// on the account so concurrent connects are decided one at a time (P4). `decide` sees the
    /// account and its active connections and returns the scope, or throws to refuse.
    /// `makeCode` builds the code to store for the resulting connection.
    /// `eventIfNew` is stored when a new connection is made (not when one is reused).
    func connect(
        application: ConnectApplication, account: String, legacy: Bool, now: Int,
        decide: @Sendable (Account, [Connection]) throws -> Connection.Scope,
        makeCode: @Sendable (Connection) -> OAuthCode?, eventIfNew: Event?
    ) async throws -> Connection
    /// Redeems a code once and stores the tokens made for its connection.
    func redeemCode(
        hash: String, application: String, now: Int, tokens: @Sendable (OAuthCode) -> [APIKey]
    ) async throws -> CodeRedemption
    /// Ends an active connection, revokes its tokens and lets `change` adjust the account, in one
    /// transaction with `event` and the events `change` returns (those of the account's change).
    /// Returns the ended connection, or `nil` when there was none.
    func endConnection(
        application: String, account: String, now: Int, event: Event?,
        change: @Sendable (inout Account, Connection) throws -> [Event]
    ) async throws -> Connection?
    /// The active connections of an account with their applications, oldest first.
    func connections(ofAccount account: String) async throws -> [(Connection, ConnectApplication)]
    /// A stored key by the hash of its secret, with the state of its connection (OAuth tokens).
    func oauthKey(hash: String) async throws -> (APIKey, Connection?)?
    func insertKey(_ key: APIKey) async throws
    func activeConnection(application: String, account: String) async throws -> Connection?
    /// An account and, when `application` is given, that application's active connection to it.
    func account(_ id: String, connectionOf application: String?) async throws -> (Account, Connection?)?

    // Account links
    func insertAccountLink(_ link: AccountLink) async throws
    func accountLink(tokenHash: String) async throws -> AccountLink?
    /// Uses a link once: marks it used and changes its account in one transaction. Returns the
    /// changed account, or `nil` when the link was already used or has expired.
    func useAccountLink(
        tokenHash: String, now: Int, emitting: @Sendable (Account, Account) -> [Event],
        _ change: @Sendable (inout Account) throws -> Void
    )
        async throws -> Account?

    // Browser sessions and login links
    func insertSession(_ session: WebSession) async throws
    /// The session with this token hash, unless it has expired at `now`.
    func session(tokenHash: String, now: Int) async throws -> WebSession?
    func deleteSession(tokenHash: String) async throws
    func insertLoginLink(tokenHash: String, account: String, created: Int, expiresAt: Int) async throws
    /// Uses a login link once; returns its account, or `nil` when unknown, used or expired.
    func useLoginLink(tokenHash: String, now: Int) async throws -> String?

    // Events
    func event(_ id: String) async throws -> Event?
    /// Events on `account`, or about `application`, newest first, filtered by type and time.
    func events(
        account: String, application: String?, types: [String], created: CreatedFilter?, limit: Int, cursor: PageCursor
    ) async throws -> Page<Event>

    // Objects accounts own
    /// Runs `body` as one transaction.
    func write<R: Sendable>(_ body: @Sendable (any ObjectTransaction) async throws -> R) async throws -> R
    /// The object `id` if `account` owns it (deleted ones included: Stripe shows them as deleted).
    func object(_ id: String, account: String) async throws -> StoredObject?
    /// Objects of one type an account owns, newest first; deleted ones are left out.
    func objects(account: String, type: String, filter: ObjectFilter, limit: Int, cursor: PageCursor) async throws
        -> Page<StoredObject>

    // Balances
    func balance(of account: String, now: Int) async throws -> [BalanceAmount]
    func balanceTransaction(_ id: String, account: String) async throws -> BalanceEntry?
    func balanceTransactions(
        account: String, type: String?, source: String?, created: CreatedFilter?, limit: Int, cursor: PageCursor
    ) async throws -> Page<BalanceEntry>

    // Clock
    /// How far Junction's clock is ahead of the wall clock, in seconds.
    func clockOffset() async throws -> Int
    /// Moves the clock forward by `seconds`; returns the new offset.
    func advanceClock(by seconds: Int) async throws -> Int

    // Webhook deliveries
    /// Claims up to `limit` deliveries due at `now` (Junction's clock) for `lease` seconds of
    /// wall-clock time; two instances never claim the same one. Without a `session`, the ones the
    /// worker pushes; with one, those a `junction listen` session pulls.
    func claimDeliveries(now: Int, limit: Int, lease: Int, session: String?) async throws -> [DeliveryJob]
    /// Records an attempt: succeeded, or failed with the next attempt time (`nil`: give up).
    func finishDelivery(_ id: String, succeeded: Bool, status: Int?, error: String?, nextAttemptAt: Int?, now: Int)
        async throws
    /// Deliveries, newest first, with their event's type.
    func deliveries(event: String?, endpoint: String?, owner: String?, limit: Int) async throws -> [WebhookDelivery]
    func delivery(_ id: String) async throws -> WebhookDelivery?
    /// Objects of `type` whose `dueAt` has come at `now`, soonest first. Not locked: whoever acts
    /// on one loads it again in a transaction and checks it is still due.
    func dueObjects(type: String, now: Int, limit: Int) async throws -> [StoredObject]
    /// Ends the listen sessions whose listener stopped polling before `wall` (wall-clock time)
    /// and gives up their pending deliveries; returns how many ended.
    func expireListenSessions(wall: Int, now: Int) async throws -> Int
    /// Gives up the pending deliveries of an endpoint (a listen session that ended).
    func abandonDeliveries(endpoint: String, reason: String, now: Int) async throws
    /// How many deliveries of each event are still pending (`pending_webhooks`).
    func pendingDeliveries(of events: [String]) async throws -> [String: Int]

    // Seeding
    /// The id of what a seed file created under `kind` and `key`, if it did.
    func seededObject(kind: String, key: String) async throws -> String?
    func recordSeededObject(kind: String, key: String, id: String) async throws

    // Idempotency
    func claimIdempotent(scope: String, key: String, requestHash: String, now: Int) async throws -> IdempotencyClaim
    func finishIdempotent(scope: String, key: String, response: StoredResponse) async throws
    /// Gives a key back when its request could not produce a response (so a retry runs again).
    func releaseIdempotent(scope: String, key: String) async throws
}
