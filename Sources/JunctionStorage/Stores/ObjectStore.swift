import ConnectModel

/// The objects accounts own (customers, payment methods, payments, …), as Stripe documents in
/// one table keyed by owner: another account's object is never found (A6).
public protocol ObjectStore: Sendable {
    /// Runs `body` as one transaction.
    func write<R: Sendable>(_ body: @escaping @Sendable (any ObjectTransaction) async throws -> R) async throws -> R
    /// The object `id` if `account` owns it (deleted ones included: Stripe shows them as deleted).
    func object(_ id: String, account: String) async throws -> StoredObject?
    /// Objects of one kind an account owns, newest first; deleted ones are left out.
    func objects(account: String, kind: ObjectKind, filter: ObjectFilter, page: PageRequest) async throws
        -> Page<StoredObject>
    /// Objects of `kind` whose `dueAt` has come at `now`, soonest first. Not locked: whoever acts
    /// on one loads it again in a transaction and checks it is still due.
    func dueObjects(kind: ObjectKind, now: Int, limit: Int) async throws -> [StoredObject]
    /// The earliest `dueAt` that has come at `now` (any kind), or `nil` when nothing waits: how
    /// far the renewal worker is behind (`/metrics`).
    func oldestDue(now: Int) async throws -> Int?
}

/// One unit of work over objects, events, balances and accounts: everything in it commits
/// together or not at all (a charge, its balance transactions, the application fee and their
/// events).
public protocol ObjectTransaction: Sendable {
    /// The object `id` if `account` owns it; locked for the rest of the transaction on PostgreSQL.
    func object(_ id: String, account: String) async throws -> StoredObject?
    /// Throws ``StoreError/duplicate(_:)`` (`id`) when the id is taken.
    func insert(_ object: StoredObject) async throws
    func update(_ object: StoredObject) async throws
    /// Whether `account` has a live object of `kind` matching `filter`.
    func exists(account: String, kind: ObjectKind, filter: ObjectFilter) async throws -> Bool
    /// Every live object of `kind` matching `filter`, oldest first: for sums over a bounded set
    /// (a customer's meter events in one billing period), never for what a client pages through.
    func all(account: String, kind: ObjectKind, filter: ObjectFilter) async throws -> [StoredObject]
    /// Stores an event and its webhook deliveries with the rest of the transaction (E1, E2).
    func emit(_ event: Event) async throws
    /// An account, locked for the rest of the transaction on PostgreSQL.
    func account(_ id: String) async throws -> Account?
    func application(_ id: String) async throws -> ConnectApplication?
    /// Stores an account changed in this transaction (locked by ``account(_:)``).
    func saveAccount(_ account: Account) async throws
    /// Records a movement of an account's balance.
    func record(_ entry: BalanceEntry) async throws
    /// A balance transaction of `account`.
    func balanceEntry(_ id: String, account: String) async throws -> BalanceEntry?
    /// An account's balance per currency, available and pending together.
    func totalBalance(of account: String) async throws -> [String: Int]
    /// An account's available balance per currency at `now` (what transfers and payouts may spend).
    func availableBalance(of account: String, now: Int) async throws -> [String: Int]
    /// Marks the money of `account` that became available by `now` as announced by a
    /// `balance.available` event; whether there was any.
    func announceAvailableFunds(of account: String, now: Int) async throws -> Bool
}
