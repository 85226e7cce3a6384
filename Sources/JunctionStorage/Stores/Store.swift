import ConnectModel

/// Everything Junction keeps, as small protocols by concern. ``SQLStore`` implements them all
/// for SQLite and PostgreSQL; a service that needs one concern asks for that protocol only.
public typealias Store = AccountStore & DirectoryStore & ConnectionStore & SessionStore & EventStore
    & DeliveryStore & ObjectStore & BalanceStore & ClockStore & IdempotencyStore & SeedStore
