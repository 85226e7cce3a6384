import PostgresNIO
import SQLKit
import SQLiteKit
import ServiceLifecycle

/// A database that can run a unit of work as one transaction.
public protocol SQLBackend: Sendable {
    var flavor: SQLFlavor { get }
    func transaction<R: Sendable>(_ body: @Sendable (SQLSession) async throws -> R) async throws -> R
    /// Long-running parts (a connection pool) that must run beside the server.
    var services: [any Service] { get }
    func close() async throws
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
    try await session.raw(begin).run()
    do {
        let result = try await TransactionScope.$active.withValue(true) { try await body(session) }
        try await session.raw("COMMIT").run()
        return result
    } catch {
        try? await session.raw("ROLLBACK").run()
        throw error
    }
}

/// Whether `error` is a unique-constraint violation on either database.
func isUniqueViolation(_ error: any Error) -> Bool {
    if let error = error as? SQLiteError { return error.reason == .constraint || "\(error)".contains("UNIQUE") }
    if let error = error as? PSQLError { return error.serverInfo?[.sqlState] == "23505" }
    return false
}
