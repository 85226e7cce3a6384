import Foundation
import Logging
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import Testing

@testable import JunctionStorage

/// Statements kept prepared on PostgreSQL's connections (issue 13): what goes in and comes out
/// is what PostgresKit's unnamed statements give, and a statement whose preparation failed does
/// not stay broken on its connection.
@Suite(
    "PostgreSQL prepared statements",
    .enabled(if: ProcessInfo.processInfo.environment["JUNCTION_TEST_POSTGRES_URL"] != nil))
struct PostgresPreparedStatementTests {
    /// A connection of its own, so a test knows which connection its statements ran on.
    static func withConnection<R: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> R) async throws -> R
    {
        let url = ProcessInfo.processInfo.environment["JUNCTION_TEST_POSTGRES_URL"]!
        let parsed = try SQLPostgresConfiguration(url: url).coreConfiguration
        let configuration = PostgresConnection.Configuration(
            host: parsed.host!, port: parsed.port!, username: parsed.username, password: parsed.password,
            database: parsed.database, tls: .disable)
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1,
            logger: Logger(label: "test"))
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    static func preparedNames(_ db: any SQLDatabase) async throws -> [String] {
        // (This query is prepared too: it leaves itself out.)
        try await db.raw(
            """
            SELECT name FROM pg_prepared_statements
            WHERE name LIKE 'junction_%' AND statement NOT LIKE '%pg_prepared_statements%' ORDER BY name
            """
        ).all(decodingColumn: "name", as: String.self)
    }

    @Test("values of every kind Junction binds read back the same, prepared once per connection")
    func values() async throws {
        try await Self.withConnection { connection in
            let db = PostgresPreparedDatabase(connection: connection)
            let table = "prepared_values_\(UUID().uuidString.prefix(8).lowercased())"
            try await db.raw(
                "CREATE TEMPORARY TABLE \(unsafeRaw: table) (t TEXT, i BIGINT, small INTEGER, b BOOLEAN, d DOUBLE PRECISION)"
            ).run()
            let rows: [(String?, Int?, Int, Bool, Double)] = [
                ("a'b \u{1F600}", 42, 7, true, 1.5), (nil, nil, -1, false, -0.25), ("", Int.max, 0, true, 0),
            ]
            for (text, number, small, flag, real) in rows {
                try await db.raw(
                    """
                    INSERT INTO \(unsafeRaw: table) (t, i, small, b, d)
                    VALUES (\(bind: text), \(bind: number), \(bind: small), \(bind: flag), \(bind: real))
                    """
                ).run()
            }
            for (text, number, small, flag, real) in rows {
                let found = try await db.raw(
                    """
                    SELECT t, i, small, b, d FROM \(unsafeRaw: table)
                    WHERE small = \(bind: small) AND b = \(bind: flag)
                    """
                ).first()
                let row = try #require(found)
                #expect(try row.decode(column: "t", as: String?.self) == text)
                #expect(try row.decode(column: "i", as: Int?.self) == number)
                #expect(try row.decode(column: "small", as: Int.self) == small)
                #expect(try row.decode(column: "b", as: Bool.self) == flag)
                #expect(try row.decode(column: "d", as: Double.self) == real)
            }
            // A NULL and a text for the same placeholder are two statements (their types differ);
            // the SELECT ran three times as one.
            let names = try await Self.preparedNames(db)
            #expect(names.count == 3)
        }
    }

    @Test("a statement whose first run failed in an aborted transaction runs once the transaction is over")
    func refusedAfterFailure() async throws {
        try await Self.withConnection { connection in
            let db = PostgresPreparedDatabase(connection: connection)
            let marker = UUID().uuidString
            try await db.raw("BEGIN").run()
            await #expect(throws: PSQLError.self) {
                try await db.raw("SELECT 1 / \(bind: 0) AS x").run()
            }
            // First run of this text on the connection, refused by the aborted transaction: a
            // preparation PostgresNIO would keep failing on this connection from now on.
            let statement: SQLQueryString = "SELECT \(bind: marker) AS marker, \(bind: 1) AS one"
            await #expect(throws: PSQLError.self) { try await db.raw(statement).run() }
            try await db.raw("ROLLBACK").run()
            let row = try #require(try await db.raw(statement).first())
            #expect(try row.decode(column: "marker", as: String.self) == marker)
        }
    }

    @Test("only queries are prepared; transaction control and DDL are not")
    func preparable() {
        #expect(PostgresStatements.isPreparable("SELECT 1"))
        #expect(PostgresStatements.isPreparable("select\n1"))
        #expect(PostgresStatements.isPreparable("WITH x AS (SELECT 1) SELECT * FROM x"))
        #expect(PostgresStatements.isPreparable("INSERT INTO t VALUES ($1)"))
        #expect(PostgresStatements.isPreparable("UPDATE t SET a = $1"))
        #expect(PostgresStatements.isPreparable("DELETE FROM t"))
        for statement in ["BEGIN", "COMMIT", "ROLLBACK", "CREATE TABLE t (a INT)", "SELECTION", "ALTER TABLE t"] {
            #expect(!PostgresStatements.isPreparable(statement), "\(statement)")
        }
    }

    @Test("every statement number has a type of its own")
    func slots() {
        var names = Set<String>()
        for number in 1...3_000 {
            let slot = PostgresStatements.slot(number)
            #expect(slot.number == number)
            names.insert(String(reflecting: slot))
        }
        #expect(names.count == 3_000)
    }
}
