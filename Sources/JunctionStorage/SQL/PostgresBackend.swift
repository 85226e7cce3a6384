import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import ServiceLifecycle

/// PostgreSQL through a fixed set of connections; several Junction instances may share one
/// database.
///
/// Not PostgresNIO's `PostgresClient`: its pool started timer tasks whenever a connection went
/// back idle, each held until its deadline (30–60 s: hundreds of MiB under load, heaptrack,
/// issue 13), and with a minimum of open connections it stops the process on a failed
/// precondition once PostgreSQL restarts (PostgresNIO 1.33.2: the connections it gives up while
/// PostgreSQL is down are not replaced, and the next lease finds fewer than the minimum). Here
/// each of ``connectionCount`` slots opens its connection on use and again after it closed.
public final class PostgresBackend: SQLBackend {
    public let flavor = SQLFlavor.postgres
    public let services: [any Service] = []
    private let slots: ConnectionPool<PostgresConnectionSlot>

    /// Connections per instance: PostgreSQL's default `max_connections` of 100 fits five instances.
    static let connectionCount = 16

    /// - Parameter url: `postgres://user:pass@host:port/db` (`sslmode=disable` is the default here).
    public init(url: String, logger: Logger) throws {
        let parsed = try SQLPostgresConfiguration(url: url).coreConfiguration
        guard let host = parsed.host, let port = parsed.port else {
            throw PostgresURLError(message: "The PostgreSQL URL must name a host and a port: \(url)")
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: parsed.username, password: parsed.password, database: parsed.database,
            tls: .disable)
        // Statements are prepared (PostgresPreparedDatabase), and PostgreSQL may then keep one
        // generic plan per statement, chosen once. Chosen while a table is young, that plan can
        // be a scan of the whole table, kept as the table grows (seen: every POST slower than the
        // one before, issue 13). Junction's queries are built on its indexes, so table scans are
        // ruled out unless no index applies.
        configuration.options.additionalStartupParameters = [("enable_seqscan", "off")]
        let quiet = SQLLogging.withoutStatements(logger)
        self.slots = ConnectionPool(
            (0..<Self.connectionCount).map {
                PostgresConnectionSlot(configuration: configuration, id: $0, logger: quiet)
            })
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
        let slots = self.slots
        let work: FirstOf.Work<R> = { giveUp in
            guard let slot = await slots.take() else { throw Self.closed }
            // Given up while it waited for a slot: the slot goes back as it is, connection and all.
            if Task.isCancelled {
                slots.give(slot)
                throw CancellationError()
            }
            let lease = PostgresConnectionSlot.Lease()
            return try await withTaskCancellationHandler {
                defer {
                    slot.end()
                    if lease.end() {
                        slots.give(slot)
                    } else {
                        slot.closeNow()  // a connection opened after the slot was abandoned
                    }
                }
                do {
                    if lease.abandoned { throw CancellationError() }
                    // PostgresNIO (1.33.2) never answers a statement written to a connection as
                    // it closes. Statements check first (PostgresPreparedDatabase), and a request
                    // still held a second after its connection closed is answered then. Not at
                    // once: a COMMIT answered just before the close must still count as done.
                    var closed: (@Sendable () -> Void)?
                    if let giveUp {
                        closed = {
                            MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: .seconds(1)) {
                                giveUp(StoreError.postgresConnectionLost)
                            }
                        }
                    }
                    let connection = try await slot.open(ifClosed: closed)
                    // Migrations (no deadline) change tables: their statements are not kept.
                    let db: any SQLDatabase =
                        deadline == nil ? connection.sql() : PostgresPreparedDatabase(connection: connection)
                    return try await body(SQLSession(db: db, flavor: .postgres))
                } catch {
                    throw classified(error)
                }
            } onCancel: {
                // The caller gave up (deadline passed, connection lost, or the process stops): its
                // work must not keep the slot, whether or not the driver ever answers it.
                if lease.abandon() {
                    slot.closeNow()
                    slots.give(slot.fresh())
                }
            }
        }
        guard let deadline else { return try await DatabaseMeter.timed { try await work(nil) } }
        guard let limit = RequestBudget.limit(deadline) else {
            throw StoreError.unavailable("PostgreSQL did not answer within the time this request may wait.")
        }
        return try await DatabaseMeter.timed {
            try await FirstOf.run(
                work, orAfter: limit,
                // A statement can stay unanswered (PostgreSQL stalled, a connection closed under
                // it): the request is answered (retry later) rather than held, and PostgreSQL
                // rolls back whatever that connection had begun.
                failure: StoreError.unavailable("PostgreSQL did not answer within \(limit)."))
        }
    }

    /// Closes the connections not in use; one in use (a transaction under way as the process
    /// stops) is left to the process's end.
    public func close() async throws {
        for slot in slots.close() { await slot.close() }
    }

    static let closed = StoreError.unavailable("Junction's database is closed.")
}

public struct PostgresURLError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// The result of `work`, or `failure` once `limit` has passed, whichever comes first. Work that
/// never finishes is cancelled and left behind, instead of holding its caller.
enum FirstOf {
    /// Gives up on the work at once with an error, before the limit.
    typealias GiveUp = @Sendable (any Error) -> Void
    /// The work, given a way to give up on itself (`nil` when there is no limit).
    typealias Work<R> = @Sendable (GiveUp?) async throws -> R

    static func run<R: Sendable>(_ work: @escaping Work<R>, orAfter limit: Duration, failure: any Error) async throws
        -> R
    {
        let outcome = Outcome<R>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<R, any Error>) in
                outcome.attach(continuation)
                let task = Task {
                    do {
                        outcome.finish(.success(try await work { error in outcome.giveUp(error) }))
                    } catch {
                        outcome.finish(.failure(error))
                    }
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
