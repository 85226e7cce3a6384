import Logging
import NIOPosix
import SQLKit
import SQLiteKit
import ServiceLifecycle

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
            storage: storage, threadPool: .singleton, logger: SQLLogging.withoutStatements(logger),
            on: MultiThreadedEventLoopGroup.singleton.any())
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

    /// SQLite answers from this process (its waits are bounded by `busy_timeout`): no deadline.
    public func transaction<R: Sendable>(
        deadline: Duration?, _ body: @escaping @Sendable (SQLSession) async throws -> R
    )
        async throws -> R
    {
        guard !TransactionScope.active else { throw NestedTransactionError() }
        // IMMEDIATE takes the write lock up front, so a transaction never fails half-way on upgrade.
        return try await lock.withLock {
            try await runTransaction(
                on: SQLSession(db: connection.sql(), flavor: flavor), begin: "BEGIN IMMEDIATE", body)
        }
    }

    public func close() async throws {
        try await connection.close()
    }
}
