import Foundation
import Logging
import PostgresNIO
import SQLKit
import Testing

@testable import JunctionStorage

/// What PostgreSQL's backend does when a connection is ended under it (PostgreSQL restarted, an
/// administrator's `pg_terminate_backend`): the request that finds it is answered as retryable,
/// and the connection is opened again (the CI failure this replaced: PostgresNIO's pool stopped
/// the process on a precondition once PostgreSQL restarted under load).
@Suite(
    "PostgreSQL connections lost",
    .enabled(if: ProcessInfo.processInfo.environment["JUNCTION_TEST_POSTGRES_URL"] != nil))
struct PostgresConnectionLossTests {
    static func backend() throws -> PostgresBackend {
        try PostgresBackend(
            url: ProcessInfo.processInfo.environment["JUNCTION_TEST_POSTGRES_URL"]!, logger: Logger(label: "test"))
    }

    static func pid(_ session: SQLSession) async throws -> Int {
        try await session.raw("SELECT pg_backend_pid() AS pid").first()!.decode(column: "pid", as: Int.self)
    }

    /// Ends PostgreSQL's backend `pid` from a connection of the test's own, and waits until it is gone.
    static func terminate(_ pid: Int) async throws {
        try await PostgresPreparedStatementTests.withConnection { connection in
            let db = connection.sql()
            _ = try await db.raw("SELECT pg_terminate_backend(\(bind: pid)::integer)").run()
            for _ in 0..<100 {
                let left = try await db.raw(
                    "SELECT count(*) AS n FROM pg_stat_activity WHERE pid = \(bind: pid)::integer"
                )
                .first()!.decode(column: "n", as: Int.self)
                if left == 0 { return }
                try await Task.sleep(for: .milliseconds(20))
            }
            Issue.record("PostgreSQL's backend \(pid) did not end")
        }
    }

    @Test("a connection PostgreSQL ended is opened again by the next request")
    func reopened() async throws {
        let backend = try Self.backend()
        let first = try await backend.read(deadline: .seconds(10)) { try await Self.pid($0) }
        try await Self.terminate(first)
        // The first request after may still find the connection as it closes: it is answered
        // as retryable, never left waiting or crashing the process.
        var second: Int?
        for _ in 0..<3 where second == nil {
            do {
                second = try await backend.read(deadline: .seconds(10)) { try await Self.pid($0) }
            } catch let error as StoreError {
                guard case .unavailable = error else { throw error }
            }
        }
        #expect(second != nil && second != first)
        try await backend.close()
    }

    @Test("a statement on a connection ended under it is answered as lost at once, not at the deadline")
    func lostMidTransaction() async throws {
        let backend = try Self.backend()
        let deadline = Duration.seconds(30)
        await #expect(throws: StoreError.unavailable("Junction lost its connection to PostgreSQL.")) {
            try await backend.transaction(deadline: deadline) { session in
                try await Self.terminate(try await Self.pid(session))
                try await Task.sleep(for: .milliseconds(500))  // the close reaches the driver
                _ = try await session.raw("SELECT 1 AS one").first()
            }
        }
        // Every slot is still usable: as many transactions as there are connections, at once.
        let pids = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<PostgresBackend.connectionCount {
                group.addTask {
                    try await backend.transaction(deadline: .seconds(10)) { session in
                        let pid = try await Self.pid(session)
                        _ = try await session.raw("SELECT pg_sleep(0.2)").run()
                        return pid
                    }
                }
            }
            return try await group.reduce(into: Set<Int>()) { $0.insert($1) }
        }
        #expect(pids.count == PostgresBackend.connectionCount)
        try await backend.close()
    }
}
