import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit

/// A pooled PostgreSQL connection as SQLKit's database, whose statements run as named prepared
/// statements: PostgreSQL parses and plans each once per connection instead of on every call.
/// With unnamed statements, planning alone was a fifth of the machine's time under the GET
/// benchmark, and parsing another 6 % (issue 13, docs/PERFORMANCE.md).
///
/// What cannot be prepared runs as before, unnamed: statements that are not queries (BEGIN,
/// COMMIT, DDL), statements whose values PostgresNIO cannot encode directly, any statement once
/// ``PostgresStatements/limit`` texts are numbered, and a statement whose first run on this
/// connection failed (PostgresNIO keeps a failed preparation's error for the connection's life).
struct PostgresPreparedDatabase: SQLDatabase {
    let connection: PostgresConnection
    /// The same connection through PostgresKit, for what is not prepared.
    let unnamed: any SQLDatabase

    init(connection: PostgresConnection) {
        self.connection = connection
        self.unnamed = connection.sql()
    }

    var logger: Logger { connection.logger }
    var eventLoop: any EventLoop { connection.eventLoop }
    var dialect: any SQLDialect { PostgresDialect() }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    {
        eventLoop.makeFutureWithTask { try await execute(sql: query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        // PostgresNIO never answers a statement written to a closed connection.
        guard !connection.isClosed else { throw StoreError.postgresConnectionLost }
        let (sql, binds) = serialize(query)
        guard PostgresStatements.isPreparable(sql), let (bindings, types) = try PostgresStatements.bindings(binds),
            let statement = PostgresStatements.shared.statement(sql: sql, types: types, on: connection)
        else {
            return try await unnamed.execute(sql: query, onRow)
        }
        do {
            try await statement.slot.run(bindings: bindings, on: connection, onRow)
            if !statement.ranBefore { PostgresStatements.shared.ran(statement.number, on: connection) }
        } catch {
            if !statement.ranBefore { PostgresStatements.shared.refuse(statement.number, on: connection) }
            throw error
        }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }
}

/// Every statement text Junction prepares, numbered once for the process, and what each pooled
/// connection has made of them.
///
/// PostgresNIO prepares a statement on a connection the first time it runs there, under its
/// ``PostgresPreparedStatement`` type's name, with the type's SQL: both are static. So each
/// number is given a type of its own, built from its binary digits (``StatementSlot``).
final class PostgresStatements: Sendable {
    static let shared = PostgresStatements()

    /// Statement texts numbered at most: the stores' queries are a few hundred; texts built
    /// with a varying number of values beyond that run unnamed.
    static let limit = 2_048

    struct Statement {
        var number: Int
        var slot: any StatementSlot.Type
        /// Whether it ran without error on this connection before (so it is prepared there).
        var ranBefore: Bool
    }

    private struct Key: Hashable {
        var sql: String
        var types: [PostgresDataType]
    }

    private struct Entry {
        var key: Key
        var slot: any StatementSlot.Type
    }

    /// What one connection made of the numbered statements.
    private struct ConnectionRecord {
        weak var connection: PostgresConnection?
        var ran: Set<Int> = []
        var refused: Set<Int> = []
    }

    private struct State {
        var numbers: [Key: Int] = [:]
        var entries: [Entry] = []
        /// By object identity: connection ids restart at 0 in every pool, and a process (the
        /// tests) may hold several.
        var connections: [ObjectIdentifier: ConnectionRecord] = [:]

        func record(of connection: PostgresConnection) -> ConnectionRecord? {
            guard let record = connections[ObjectIdentifier(connection)], record.connection === connection else {
                return nil
            }
            return record
        }
    }

    private let state = NIOLockedValueBox(State())

    /// The numbered statement for `sql` with parameters of `types` on `connection`, numbering it
    /// if new; `nil` when it is to run unnamed there.
    func statement(sql: String, types: [PostgresDataType], on connection: PostgresConnection) -> Statement? {
        state.withLockedValue { state in
            let key = Key(sql: sql, types: types)
            let number: Int
            if let known = state.numbers[key] {
                number = known
            } else {
                guard state.entries.count < Self.limit else { return nil }
                number = state.entries.count + 1
                state.entries.append(Entry(key: key, slot: Self.slot(number)))
                state.numbers[key] = number
            }
            let record = state.record(of: connection)
            if record?.refused.contains(number) == true { return nil }
            return Statement(
                number: number, slot: state.entries[number - 1].slot, ranBefore: record?.ran.contains(number) == true)
        }
    }

    func ran(_ number: Int, on connection: PostgresConnection) {
        record(on: connection) { $0.ran.insert(number) }
    }

    func refuse(_ number: Int, on connection: PostgresConnection) {
        record(on: connection) { $0.refused.insert(number) }
    }

    private func record(on connection: PostgresConnection, _ change: (inout ConnectionRecord) -> Void) {
        state.withLockedValue { state in
            let key = ObjectIdentifier(connection)
            if state.record(of: connection) == nil {
                // Connections closed since are forgotten as a new one comes.
                state.connections = state.connections.filter { $0.value.connection.map { !$0.isClosed } ?? false }
                state.connections[key] = ConnectionRecord(connection: connection)
            }
            change(&state.connections[key]!)
        }
    }

    func sql(_ number: Int) -> String { state.withLockedValue { $0.entries[number - 1].key.sql } }
    func types(_ number: Int) -> [PostgresDataType] { state.withLockedValue { $0.entries[number - 1].key.types } }

    /// Queries only: transaction control and DDL keep PostgreSQL's usual path.
    static func isPreparable(_ sql: String) -> Bool {
        let word = sql.utf8.prefix { ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") }
        let lowered = word.lazy.map { $0 | 0x20 }
        return ["select", "insert", "update", "delete", "with"].contains { lowered.elementsEqual($0.utf8) }
    }

    /// `binds` encoded as PostgresKit encodes them, with their types; `nil` if one of them is
    /// not a value PostgresNIO encodes directly (those take PostgresKit's JSON path, unnamed).
    static func bindings(_ binds: [any Encodable & Sendable]) throws -> (PostgresBindings, [PostgresDataType])? {
        var bindings = PostgresBindings(capacity: binds.count)
        var types: [PostgresDataType] = []
        types.reserveCapacity(binds.count)
        for bind in binds {
            if let optional = bind as? any OptionalValue, optional.isNone {
                bindings.appendNull()
                types.append(.null)  // unspecified: PostgreSQL infers it, as for an unnamed statement
            } else if let value = bind as? any PostgresThrowingDynamicTypeEncodable {
                try bindings.append(value, context: .default)
                types.append(value.psqlType)
            } else {
                return nil
            }
        }
        return (bindings, types)
    }

    /// The type of statement `number` (1 and up): `FirstSlot` for 1, then one `Bit0`/`Bit1` per
    /// further binary digit, so 6 (110) is `Bit0<Bit1<FirstSlot>>`.
    static func slot(_ number: Int) -> any StatementSlot.Type {
        precondition(number >= 1)
        guard number > 1 else { return FirstSlot.self }
        let prefix = slot(number >> 1)
        return number & 1 == 0 ? appendingZero(prefix) : appendingOne(prefix)
    }

    private static func appendingZero<Prefix: StatementSlot>(_: Prefix.Type) -> any StatementSlot.Type {
        Bit0<Prefix>.self
    }

    private static func appendingOne<Prefix: StatementSlot>(_: Prefix.Type) -> any StatementSlot.Type {
        Bit1<Prefix>.self
    }
}

/// A type standing for one statement number (see ``PostgresStatements/slot(_:)``).
protocol StatementSlot: Sendable {
    static var number: Int { get }
}

extension StatementSlot {
    /// Runs statement ``number`` with `bindings` on `connection`, each row to `onRow`.
    static func run(
        bindings: PostgresBindings, on connection: PostgresConnection, _ onRow: (any SQLRow) -> Void
    ) async throws {
        let rows = try await connection.execute(
            NumberedStatement<Self>(bindings: bindings), logger: connection.logger)
        for try await row in rows { onRow(row.sql()) }
    }
}

enum FirstSlot: StatementSlot {
    static var number: Int { 1 }
}

enum Bit0<Prefix: StatementSlot>: StatementSlot {
    static var number: Int { Prefix.number << 1 }
}

enum Bit1<Prefix: StatementSlot>: StatementSlot {
    static var number: Int { Prefix.number << 1 | 1 }
}

/// Statement `Slot.number` as PostgresNIO's prepared statement.
struct NumberedStatement<Slot: StatementSlot>: PostgresPreparedStatement {
    typealias Row = PostgresRow

    static var name: String { "junction_\(Slot.number)" }
    static var sql: String { PostgresStatements.shared.sql(Slot.number) }
    static var bindingDataTypes: [PostgresDataType] { PostgresStatements.shared.types(Slot.number) }

    let bindings: PostgresBindings

    func makeBindings() -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
}

/// Tells a nil optional inside an existential apart from a value.
private protocol OptionalValue {
    var isNone: Bool { get }
}

extension Optional: OptionalValue {
    fileprivate var isNone: Bool { self == nil }
}
