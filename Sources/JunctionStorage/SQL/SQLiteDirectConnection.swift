import CJunctionSQLite
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import VaporCSQLite

/// A SQLite connection that runs its statements on the calling task, with its prepared
/// statements kept. SQLiteNIO sends every statement to a thread pool and back: two thread
/// wake-ups per statement, which the profiles of issue 13 showed as the largest cost of every
/// request (docs/PERFORMANCE.md). A statement of a few pages takes microseconds, less than one
/// wake-up, so statements run where the request runs. In WAL mode with `synchronous=NORMAL` a
/// `COMMIT` appends to the WAL without waiting for the disk (only checkpoints sync). It speaks
/// SQLKit like any database, so the stores' queries are the same on it; SQLite itself comes
/// from SQLiteNIO's package (its vendored `VaporCSQLite`).
///
/// One task at a time (``ConnectionPool`` lends it out): it is not itself thread-safe.
final class SQLiteDirectConnection: SQLDatabase, @unchecked Sendable {
    private let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]
    let logger: Logger
    let eventLoop: any EventLoop
    let dialect: any SQLDialect = SQLiteDialect()
    private let encoder = SQLiteDataEncoder()
    private let decoder = SQLiteDataDecoder()

    /// Prepared statements kept per connection: the stores' queries are a few hundred texts.
    static let statementLimit = 512

    /// Opens `path` (`nil`: a database in memory, of this connection alone), read-only or
    /// read-write (created if missing).
    init(path: String?, readOnly: Bool, logger: Logger) throws {
        var handle: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let status = sqlite_nio_sqlite3_open_v2(path ?? ":memory:", &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "out of memory"
            if let handle { sqlite_nio_sqlite3_close(handle) }
            throw SQLiteStatusError(code: status, message: message)
        }
        // Another process on the file, or a checkpoint, can hold it briefly; beyond that it is busy.
        sqlite_nio_sqlite3_busy_timeout(handle, 5_000)
        // Extended codes: a full disk is told apart from other I/O errors.
        sqlite_nio_sqlite3_extended_result_codes(handle, 1)
        // Plans fixed at prepare time: otherwise a kept statement is compiled again whenever
        // new values are bound to it (see CJunctionSQLite).
        let qpsg = junction_sqlite_enable_qpsg(handle)
        guard qpsg == SQLITE_OK else {
            sqlite_nio_sqlite3_close(handle)
            throw SQLiteStatusError(code: qpsg, message: "could not enable SQLite's query planner stability guarantee")
        }
        self.handle = handle
        self.logger = logger
        self.eventLoop = MultiThreadedEventLoopGroup.singleton.any()
    }

    func close() {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        statements = [:]
        sqlite_nio_sqlite3_close(handle)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    {
        do {
            try run(query, onRow)
            return eventLoop.makeSucceededVoidFuture()
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try run(query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> Void) throws {
        let (sql, binds) = serialize(query)
        let statement = try prepared(sql)
        defer {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
        }
        for (index, value) in binds.enumerated() {
            try bind(try encoder.encode(value), at: Int32(index + 1), to: statement)
        }
        let count = sqlite_nio_sqlite3_column_count(statement)
        var names: [String] = []
        names.reserveCapacity(Int(count))
        for column in 0..<count { names.append(String(cString: sqlite_nio_sqlite3_column_name(statement, column))) }
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { throw error(status) }
            var values: [SQLiteData] = []
            values.reserveCapacity(Int(count))
            for column in 0..<count { values.append(value(of: statement, at: column)) }
            onRow(SQLiteDirectRow(names: names, values: values, decoder: decoder))
        }
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        var statement: OpaquePointer?
        let status = sqlite_nio_sqlite3_prepare_v3(
            handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw error(status) }
        if statements.count >= Self.statementLimit {
            for kept in statements.values { sqlite_nio_sqlite3_finalize(kept) }
            statements = [:]
        }
        statements[sql] = statement
        return statement
    }

    private func bind(_ data: SQLiteData, at index: Int32, to statement: OpaquePointer) throws {
        let status: Int32
        switch data {
        case .integer(let value): status = sqlite_nio_sqlite3_bind_int64(statement, index, Int64(value))
        case .float(let value): status = sqlite_nio_sqlite3_bind_double(statement, index, value)
        case .null: status = sqlite_nio_sqlite3_bind_null(statement, index)
        case .text(let value):
            status = sqlite_nio_sqlite3_bind_text64(
                statement, index, value, UInt64(value.utf8.count), Self.transient, UInt8(SQLITE_UTF8))
        case .blob(let value):
            status = value.withUnsafeReadableBytes {
                sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), Self.transient)
            }
        }
        guard status == SQLITE_OK else { throw error(status) }
    }

    private func value(of statement: OpaquePointer, at column: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            let length = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self))
        case SQLITE_BLOB:
            let length = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            var buffer = ByteBufferAllocator().buffer(capacity: length)
            if let bytes = sqlite_nio_sqlite3_column_blob(statement, column) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: length))
            }
            return .blob(buffer)
        default: return .null
        }
    }

    private func error(_ status: Int32) -> SQLiteStatusError {
        SQLiteStatusError(code: status, message: String(cString: sqlite_nio_sqlite3_errmsg(handle)))
    }

    /// SQLite copies the bound bytes (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// What SQLite said when a statement failed: its (extended) result code and message.
struct SQLiteStatusError: Error, CustomStringConvertible {
    var code: Int32
    var message: String

    var description: String { "SQLite error \(code): \(message)" }

    static let busy: Int32 = 5, locked: Int32 = 6, readOnly: Int32 = 8, ioError: Int32 = 10, full: Int32 = 13,
        cantOpen: Int32 = 14, constraint: Int32 = 19, notADatabase: Int32 = 26

    /// The primary result code (the low byte of an extended one).
    var primary: Int32 { code & 0xFF }
}

/// One row of a ``SQLiteDirectConnection`` statement.
private struct SQLiteDirectRow: SQLRow {
    let names: [String]
    let values: [SQLiteData]
    let decoder: SQLiteDataDecoder

    var allColumns: [String] { names }

    private func data(_ column: String) -> SQLiteData? {
        names.firstIndex(of: column).map { values[$0] }
    }

    func contains(column: String) -> Bool { names.contains(column) }

    func decodeNil(column: String) throws -> Bool { (data(column) ?? .null) == .null }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let data = data(column) else {
            throw DecodingError.keyNotFound(
                SQLiteColumnKey(stringValue: column),
                .init(codingPath: [], debugDescription: "No column \(column) in the row."))
        }
        return try decoder.decode(D.self, from: data)
    }
}

private struct SQLiteColumnKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
