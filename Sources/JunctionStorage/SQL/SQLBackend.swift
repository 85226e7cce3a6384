import Logging
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit
import ServiceLifecycle

/// Which SQL database a ``SQLBackend`` talks to; only where the two differ.
public enum SQLFlavor: Sendable {
    case sqlite
    case postgres
}

/// A database that can run a unit of work as one transaction.
public protocol SQLBackend: Sendable {
    var flavor: SQLFlavor { get }
    func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    /// Long-running parts (a connection pool) that must run beside the server.
    var services: [any Service] { get }
    func close() async throws
}

/// SQLite through one connection: SQLite has one writer at a time anyway, and one connection
/// makes every transaction strictly serial (no `SQLITE_BUSY` between our own requests).
public final class SQLiteBackend: SQLBackend {
    public let flavor = SQLFlavor.sqlite
    public let services: [any Service] = []
    private let connection: SQLiteConnection
    private let lock = AsyncLock()

    /// Opens `path` (or an in-memory database for `nil`) with WAL, a busy timeout for other
    /// processes on the same file, and `synchronous=NORMAL`: in WAL mode a committed
    /// transaction survives the process being killed (`kill -9`); only a power loss can take the
    /// last commits.
    public static func open(path: String?, logger: Logger) async throws -> SQLiteBackend {
        let storage: SQLiteConnection.Storage = path.map { .file(path: $0) } ?? .memory
        let connection = try await SQLiteConnection.open(
            storage: storage, threadPool: .singleton, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
        let db = connection.sql()
        if path != nil {
            try await db.raw("PRAGMA journal_mode=WAL").run()
        }
        try await db.raw("PRAGMA synchronous=NORMAL").run()
        try await db.raw("PRAGMA busy_timeout=5000").run()
        try await db.raw("PRAGMA foreign_keys=ON").run()
        return SQLiteBackend(connection: connection)
    }

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    public func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        guard !TransactionScope.active else { throw NestedTransactionError() }
        // IMMEDIATE takes the write lock up front, so a transaction never fails half-way on upgrade.
        return try await lock.withLock {
            try await runTransaction(on: connection.sql(), begin: "BEGIN IMMEDIATE", body)
        }
    }

    public func close() async throws {
        try await connection.close()
    }
}

/// PostgreSQL through PostgresNIO's pool; several Junction instances may share one database.
public final class PostgresBackend: SQLBackend {
    public let flavor = SQLFlavor.postgres
    private let client: PostgresClient
    public var services: [any Service] { [client] }

    /// - Parameter url: `postgres://user:pass@host:port/db` (`sslmode=disable` is the default here).
    public init(url: String, logger: Logger) throws {
        let parsed = try SQLPostgresConfiguration(url: url).coreConfiguration
        guard let host = parsed.host, let port = parsed.port else {
            throw PostgresURLError(message: "The PostgreSQL URL must name a host and a port: \(url)")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: parsed.username, password: parsed.password, database: parsed.database,
            tls: .disable)
        configuration.options.maximumConnections = 16
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    public func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        guard !TransactionScope.active else { throw NestedTransactionError() }
        return try await client.withConnection { connection in
            try await runTransaction(on: connection.sql(), begin: "BEGIN", body)
        }
    }

    public func close() async throws {}
}

public struct PostgresURLError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
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
private func runTransaction<R: Sendable>(
    on db: any SQLDatabase, begin: SQLQueryString, _ body: @Sendable (any SQLDatabase) async throws -> R
) async throws -> R {
    try await db.raw(begin).run()
    do {
        let result = try await TransactionScope.$active.withValue(true) { try await body(db) }
        try await db.raw("COMMIT").run()
        return result
    } catch {
        try? await db.raw("ROLLBACK").run()
        throw error
    }
}

/// A FIFO mutual exclusion for async code.
actor AsyncLock {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func withLock<R: Sendable>(_ body: @Sendable () async throws -> R) async throws -> R {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        if !locked {
            locked = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            locked = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}

/// Whether `error` is a unique-constraint violation on either database.
func isUniqueViolation(_ error: any Error) -> Bool {
    if let error = error as? SQLiteError { return error.reason == .constraint || "\(error)".contains("UNIQUE") }
    if let error = error as? PSQLError { return error.serverInfo?[.sqlState] == "23505" }
    return false
}
