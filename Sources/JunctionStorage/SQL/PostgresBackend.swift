import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import ServiceLifecycle

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
        // The pool starts a timer task whenever a connection goes back idle: a keep-alive ping
        // and, beyond the minimum, an idle timeout. Cancelled when the connection is taken again,
        // each still held its task until its deadline (30–60 s): under load, hundreds of MiB and a
        // timer heap that slowed every request (heaptrack, issue 13). So the connections are kept
        // open from the start, and a dead one is found on use (answered 503, retry) instead of
        // by a ping. The 17th opens only when sixteen are busy.
        configuration.options.minimumConnections = 16
        configuration.options.maximumConnections = 17
        configuration.options.keepAliveBehavior = nil
        // Statements are prepared (PostgresPreparedDatabase), and PostgreSQL may then keep one
        // generic plan per statement, chosen once. Chosen while a table is young, that plan can
        // be a scan of the whole table, kept as the table grows (seen: every POST slower than the
        // one before, issue 13). Junction's queries are built on its indexes, so table scans are
        // ruled out unless no index applies.
        configuration.options.additionalStartupParameters = [("enable_seqscan", "off")]
        self.client = PostgresClient(
            configuration: configuration, backgroundLogger: SQLLogging.withoutStatements(logger))
    }

    public func transaction<R: Sendable>(
        deadline: Duration?, _ body: @escaping @Sendable (SQLSession) async throws -> R
    )
        async throws -> R
    {
        try await withConnection(deadline: deadline) { session in
            try await runTransaction(on: session, begin: "BEGIN", body)
        }
    }

    /// On a pooled connection without BEGIN/COMMIT: two fewer round trips.
    public func read<R: Sendable>(deadline: Duration?, _ body: @escaping @Sendable (SQLSession) async throws -> R)
        async throws -> R
    {
        try await withConnection(deadline: deadline) { session in try await runRead(on: session, body) }
    }

    /// `body` on one pooled connection, given up (as unavailable) once `deadline` has passed.
    private func withConnection<R: Sendable>(
        deadline: Duration?, _ body: @escaping @Sendable (SQLSession) async throws -> R
    ) async throws -> R {
        guard !TransactionScope.active else { throw NestedTransactionError() }
        let client = self.client
        let work: @Sendable () async throws -> R = {
            do {
                return try await client.withConnection { connection in
                    // Migrations (no deadline) change tables: their statements are not kept.
                    let db: any SQLDatabase =
                        deadline == nil ? connection.sql() : PostgresPreparedDatabase(connection: connection)
                    return try await body(SQLSession(db: db, flavor: .postgres))
                }
            } catch {
                throw classified(error)
            }
        }
        guard let deadline else { return try await DatabaseMeter.timed(work) }
        guard let limit = RequestBudget.limit(deadline) else {
            throw StoreError.unavailable("PostgreSQL did not answer within the time this request may wait.")
        }
        return try await DatabaseMeter.timed {
            try await FirstOf.run(
                work, orAfter: limit,
                // A statement sent as PostgreSQL restarts can stay unanswered by the driver, even
                // once its connection is gone: the request is answered (retry later) rather than
                // held, and PostgreSQL rolls back whatever that connection had begun.
                failure: StoreError.unavailable("PostgreSQL did not answer within \(limit)."))
        }
    }

    public func close() async throws {}
}

public struct PostgresURLError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// The result of `work`, or `failure` once `limit` has passed, whichever comes first. Work that
/// never finishes is cancelled and left behind, instead of holding its caller.
enum FirstOf {
    static func run<R: Sendable>(
        _ work: @escaping @Sendable () async throws -> R, orAfter limit: Duration, failure: any Error
    ) async throws -> R {
        let outcome = Outcome<R>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<R, any Error>) in
                outcome.attach(continuation)
                let task = Task {
                    do { outcome.finish(.success(try await work())) } catch { outcome.finish(.failure(error)) }
                }
                outcome.onGiveUp { task.cancel() }
                // A timer on an event loop, not a sleeping task: a cancelled `Task.sleep` keeps
                // its task until the deadline (15 s for every transaction; heaptrack, issue 13),
                // a cancelled scheduled task is gone at once.
                let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(
                    in: .nanoseconds(Int64(limit / .nanoseconds(1)))
                ) { outcome.giveUp(failure) }
                outcome.onFinish { timer.cancel() }
            }
        } onCancel: {
            outcome.giveUp(CancellationError())
        }
    }

    /// Resumes the continuation once: with the work's result, or with a failure.
    private final class Outcome<R: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<R, any Error>?
        private var done = false
        private var pending: Result<R, any Error>?
        private var cancelWork: (@Sendable () -> Void)?
        private var stopTimer: (@Sendable () -> Void)?

        func attach(_ continuation: CheckedContinuation<R, any Error>) {
            lock.withLock {
                if let pending {
                    continuation.resume(with: pending)
                } else {
                    self.continuation = continuation
                }
            }
        }

        func onGiveUp(_ cancel: @escaping @Sendable () -> Void) {
            lock.withLock { cancelWork = cancel }
        }

        func onFinish(_ stopTimer: @escaping @Sendable () -> Void) {
            let finished = lock.withLock {
                self.stopTimer = stopTimer
                return done
            }
            if finished { stopTimer() }
        }

        func finish(_ result: Result<R, any Error>) {
            resume(result)
            lock.withLock { stopTimer }?()
        }

        func giveUp(_ error: any Error) {
            if resume(.failure(error)) { lock.withLock { cancelWork }?() }
        }

        @discardableResult
        private func resume(_ result: Result<R, any Error>) -> Bool {
            lock.withLock {
                guard !done else { return false }
                done = true
                if let continuation {
                    continuation.resume(with: result)
                    self.continuation = nil
                } else {
                    pending = result
                }
                return true
            }
        }
    }
}
