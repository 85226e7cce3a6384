import PostgresNIO
import SQLKit
import SQLiteKit
import ServiceLifecycle

/// A database that can run a unit of work as one transaction.
public protocol SQLBackend: Sendable {
    var flavor: SQLFlavor { get }
    /// `body` in one transaction. With a `deadline`, a database that stops answering (a restart
    /// can leave a statement unanswered) fails the transaction as unavailable instead of
    /// holding the request forever; migrations run without one.
    func transaction<R: Sendable>(deadline: Duration?, _ body: @escaping @Sendable (SQLSession) async throws -> R)
        async throws -> R
    /// `body`, which only reads, outside a transaction: each statement sees what was committed
    /// when it ran. For reads of one statement, or whose statements need no common snapshot
    /// (what one finds, the next looks up). They cost fewer round trips, and on SQLite they run
    /// beside the writer.
    func read<R: Sendable>(deadline: Duration?, _ body: @escaping @Sendable (SQLSession) async throws -> R)
        async throws -> R
    /// Long-running parts (a connection pool) that must run beside the server.
    var services: [any Service] { get }
    func close() async throws
}

extension SQLBackend {
    /// How long a request's transaction may wait on the database.
    public static var requestDeadline: Duration { .seconds(15) }

    public func transaction<R: Sendable>(_ body: @escaping @Sendable (SQLSession) async throws -> R) async throws -> R {
        try await transaction(deadline: Self.requestDeadline, body)
    }

    public func read<R: Sendable>(_ body: @escaping @Sendable (SQLSession) async throws -> R) async throws -> R {
        try await read(deadline: Self.requestDeadline, body)
    }
}

/// One connection inside a transaction, with the flavor of its database.
public struct SQLSession: Sendable {
    public let db: any SQLDatabase
    public let flavor: SQLFlavor

    public func raw(_ query: SQLQueryString) -> SQLRawBuilder { db.raw(query) }
}

/// Set while a task runs a transaction: starting another from inside it would wait for itself
/// (SQLite) or escape the first one's atomicity (PostgreSQL), so it is refused at once.
enum TransactionScope {
    @TaskLocal static var active = false
}

/// A transaction started inside another one: a programming error, reported instead of hanging.
public struct NestedTransactionError: Error, CustomStringConvertible {
    public var description: String {
        "A store transaction was started inside another one; use the transaction's own operations instead."
    }
}

/// Runs `body` between `begin` and COMMIT on one session; any error rolls back and is rethrown.
func runTransaction<R: Sendable>(
    on session: SQLSession, begin: SQLQueryString, _ body: @Sendable (SQLSession) async throws -> R
) async throws -> R {
    guard !TransactionScope.active else { throw NestedTransactionError() }
    // Work whose caller gave up on it (a deadline passed: it was answered 503 and may be retried)
    // must never commit later, when a connection frees up or the database comes back: the retry
    // would then do it a second time.
    try Task.checkCancellation()
    do {
        try await session.raw(begin).run()
    } catch {
        throw classified(error)
    }
    do {
        let result = try await TransactionScope.$active.withValue(true) { try await body(session) }
        try Task.checkCancellation()
        try await session.raw("COMMIT").run()
        return result
    } catch {
        // In a task of its own: a cancelled task's statements are refused by the driver, and a
        // transaction left open would poison the connection (SQLite has only one).
        await Task { try? await session.raw("ROLLBACK").run() }.value
        throw classified(error)
    }
}

/// Runs `body`, which only reads, on `session` without a transaction.
func runRead<R: Sendable>(on session: SQLSession, _ body: @Sendable (SQLSession) async throws -> R) async throws
    -> R
{
    guard !TransactionScope.active else { throw NestedTransactionError() }
    try Task.checkCancellation()
    do {
        return try await TransactionScope.$active.withValue(true) { try await body(session) }
    } catch {
        throw classified(error)
    }
}

/// `error` as ``StoreError/unavailable(_:)`` when it says the database is out of reach or out of
/// room for now, else unchanged: the client is told to retry, and nothing half-done was kept
/// (the transaction rolled back, or never began).
func classified(_ error: any Error) -> any Error {
    if let error = error as? SQLiteStatusError {
        switch error.primary {
        case SQLiteStatusError.full:
            return StoreError.unavailable("The disk holding Junction's database is full; nothing was written.")
        case SQLiteStatusError.ioError, SQLiteStatusError.cantOpen, SQLiteStatusError.readOnly,
            SQLiteStatusError.notADatabase:
            return StoreError.unavailable("Junction could not read or write its database file; nothing was written.")
        case SQLiteStatusError.busy, SQLiteStatusError.locked:
            return StoreError.unavailable("Junction's database is locked by another process.")
        default: return error
        }
    }
    if let error = error as? PSQLError {
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return StoreError.postgresConnectionLost
        case .server:
            // 08: connection exceptions; 57P: the server is shutting down or starting; 53: out of
            // resources (disk full, too many connections).
            let state = error.serverInfo?[.sqlState] ?? ""
            if state.hasPrefix("08") || state.hasPrefix("57P") || state.hasPrefix("53") {
                return StoreError.unavailable("PostgreSQL is restarting or out of resources.")
            }
            return error
        default: return error
        }
    }
    return error
}

/// Whether `error` is a unique-constraint violation on either database.
func isUniqueViolation(_ error: any Error) -> Bool {
    if let error = error as? SQLiteStatusError { return error.primary == SQLiteStatusError.constraint }
    if let error = error as? PSQLError { return error.serverInfo?[.sqlState] == "23505" }
    return false
}
