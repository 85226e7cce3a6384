import Logging
import NIOCore
import SQLKit
import ServiceLifecycle

/// SQLite through one writer connection and a few reader connections, each a
/// ``SQLiteDirectConnection`` (statements run on the request's own task). SQLite has one writer
/// at a time anyway, and one writing connection makes every transaction strictly serial (no
/// `SQLITE_BUSY` between our own requests). In WAL mode readers see the last commit and never
/// wait for the writer, so reads (most requests) run beside writes and beside each other.
public final class SQLiteBackend: SQLBackend {
    public let flavor = SQLFlavor.sqlite
    public let services: [any Service] = []
    /// The writer, lent to one transaction at a time: the write lock of this process.
    private let writer: ConnectionPool<SQLiteDirectConnection>
    /// `nil` for an in-memory database, whose other connections would be other databases.
    private let readers: ConnectionPool<SQLiteDirectConnection>?

    /// Reader connections: one per core, as reads run on the requests' own threads.
    static let readerCount = max(2, System.coreCount)

    /// Opens `path` (or an in-memory database for `nil`) with WAL, a busy timeout for other
    /// processes on the same file, and `synchronous=NORMAL`: in WAL mode a committed
    /// transaction survives the process being killed (`kill -9`); only a power loss can take the
    /// last commits.
    public static func open(path: String?, logger: Logger) async throws -> SQLiteBackend {
        let quiet = SQLLogging.withoutStatements(logger)
        let connection = try SQLiteDirectConnection(path: path, readOnly: false, logger: quiet)
        if path != nil {
            try await connection.raw("PRAGMA journal_mode=WAL").run()
        }
        try await connection.raw("PRAGMA synchronous=NORMAL").run()
        try await connection.raw("PRAGMA foreign_keys=ON").run()
        var readers: ConnectionPool<SQLiteDirectConnection>?
        if let path {
            readers = ConnectionPool(
                try (0..<readerCount).map { _ in try SQLiteDirectConnection(path: path, readOnly: true, logger: quiet) }
            )
        }
        return SQLiteBackend(writer: ConnectionPool([connection]), readers: readers)
    }

    private init(writer: ConnectionPool<SQLiteDirectConnection>, readers: ConnectionPool<SQLiteDirectConnection>?) {
        self.writer = writer
        self.readers = readers
    }

    /// SQLite answers from this process (its waits are bounded by `busy_timeout`): no deadline.
    public func transaction<R: Sendable>(
        deadline: Duration?, _ body: @escaping @Sendable (SQLSession) async throws -> R
    )
        async throws -> R
    {
        guard !TransactionScope.active else { throw NestedTransactionError() }
        return try await DatabaseMeter.timed {
            guard let connection = await writer.take() else { throw Self.closed }
            defer { writer.give(connection) }
            // IMMEDIATE takes the write lock up front, so a transaction never fails half-way on upgrade.
            return try await runTransaction(
                on: SQLSession(db: connection, flavor: flavor), begin: "BEGIN IMMEDIATE", body)
        }
    }

    /// On a reader connection, each statement on its own; in memory, on the one connection.
    public func read<R: Sendable>(deadline: Duration?, _ body: @escaping @Sendable (SQLSession) async throws -> R)
        async throws -> R
    {
        guard !TransactionScope.active else { throw NestedTransactionError() }
        return try await DatabaseMeter.timed {
            let pool = readers ?? writer
            guard let connection = await pool.take() else { throw Self.closed }
            defer { pool.give(connection) }
            return try await runRead(on: SQLSession(db: connection, flavor: flavor), body)
        }
    }

    /// Closes the connections not in use; one in use (a transaction under way as the process
    /// stops) is left to the process's end.
    public func close() async throws {
        for connection in (readers?.close() ?? []) + writer.close() { connection.close() }
    }

    static let closed = StoreError.unavailable("Junction's database is closed.")
}
