import ConnectModel
import Foundation
import SQLKit

/// The one implementation of every store protocol: SQLKit queries that run unchanged on SQLite
/// and PostgreSQL (where they differ, ``SQLFlavor`` says how). Each concern is an extension in
/// a file of its own; what runs inside a transaction is an extension of ``SQLSession``.
public final class SQLStore: Sendable {
    public let backend: any SQLBackend

    public init(backend: any SQLBackend) {
        self.backend = backend
    }

    /// Runs the versioned migrations that have not run yet (at start, before anything else).
    public func migrate() async throws {
        try await backend.transaction(deadline: nil) { session in
            if session.flavor == .postgres {
                // Two instances starting together must not both run a migration.
                try await session.raw("SELECT pg_advisory_xact_lock(7411)").run()
            }
            try await session.raw(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)"
            ).run()
            let applied = Set(
                try await session.raw("SELECT version FROM schema_migrations").all(
                    decodingColumn: "version", as: Int.self))
            for migration in Migrations.all where !applied.contains(migration.version) {
                for statement in migration.statements {
                    guard let sql = Migrations.sql(statement, flavor: session.flavor) else { continue }
                    try await session.raw(SQLQueryString(sql)).run()
                }
                try await session.raw(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (\(bind: migration.version), \(bind: Int(Date().timeIntervalSince1970)))"
                ).run()
            }
        }
    }

    /// One transaction on the backend.
    func transaction<R: Sendable>(_ body: @escaping @Sendable (SQLSession) async throws -> R) async throws -> R {
        try await backend.transaction(body)
    }

    /// Statements that only read, outside a transaction (see ``SQLBackend/read(deadline:_:)``).
    func read<R: Sendable>(_ body: @escaping @Sendable (SQLSession) async throws -> R) async throws -> R {
        try await backend.read(body)
    }
}

/// JSON document columns (`TEXT`).
enum JSONColumn {
    static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONValueDecoder().decode(type, fromText: text)
    }
}

extension SQLRawBuilder {
    /// The rows, each decoded with snake_case columns mapped to camelCase properties.
    func rows<T: Decodable>(_ type: T.Type) async throws -> [T] {
        try await all(decoding: T.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    func row<T: Decodable>(_ type: T.Type) async throws -> T? {
        try await first(decoding: T.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    /// The `document` column of each row, decoded from JSON.
    func documents<T: Decodable>(_ type: T.Type) async throws -> [T] {
        try await all(decodingColumn: "document", as: String.self).map { try JSONColumn.decode(T.self, $0) }
    }

    func document<T: Decodable>(_ type: T.Type) async throws -> T? {
        try await first(decodingColumn: "document", as: String.self).map { try JSONColumn.decode(T.self, $0) }
    }
}

extension SQLSession {
    /// One page of a list, newest first: `base` (a SELECT with its WHERE started) gets the
    /// `created` filter, the cursor and the order, and reads `limit + 1` rows to know whether
    /// there are more. With an index on the order column, this costs O(limit). `seqOf` finds the
    /// order value of a cursor's object; `noun` names it when it does not exist.
    func page<T: Sendable>(
        _ base: SQLQueryString, order column: String, createdColumn: String, page request: PageRequest, noun: String,
        seqOf: (String) async throws -> Int?, decode: (SQLRawBuilder) async throws -> [T]
    ) async throws -> Page<T> {
        var query = base
        if let created = request.created {
            if let gt = created.gt { query += " AND \(unsafeRaw: createdColumn) > \(bind: gt)" }
            if let gte = created.gte { query += " AND \(unsafeRaw: createdColumn) >= \(bind: gte)" }
            if let lt = created.lt { query += " AND \(unsafeRaw: createdColumn) < \(bind: lt)" }
            if let lte = created.lte { query += " AND \(unsafeRaw: createdColumn) <= \(bind: lte)" }
        }
        var ascending = false
        switch request.cursor {
        case .first:
            query += " ORDER BY \(unsafeRaw: column) DESC"
        case .startingAfter(let id):
            guard let seq = try await seqOf(id) else { throw JunctionError.noSuch(noun, id, param: "starting_after") }
            query += " AND \(unsafeRaw: column) < \(bind: seq) ORDER BY \(unsafeRaw: column) DESC"
        case .endingBefore(let id):
            guard let seq = try await seqOf(id) else { throw JunctionError.noSuch(noun, id, param: "ending_before") }
            ascending = true
            query += " AND \(unsafeRaw: column) > \(bind: seq) ORDER BY \(unsafeRaw: column) ASC"
        }
        query += " LIMIT \(bind: request.limit + 1)"
        var items = try await decode(raw(query))
        let hasMore = items.count > request.limit
        if hasMore { items.removeLast() }
        if ascending { items.reverse() }
        return Page(items: items, hasMore: hasMore)
    }
}
