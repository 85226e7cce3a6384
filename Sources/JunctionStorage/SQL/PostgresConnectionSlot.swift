import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// One of a PostgreSQL backend's connections, lent by ``ConnectionPool`` to one task at a time.
/// The connection is opened on first use and opened again on the next use after it closed
/// (PostgreSQL restarted, the network dropped it): a dead connection costs the request that finds
/// it, never the process.
final class PostgresConnectionSlot: Sendable {
    private let configuration: PostgresConnection.Configuration
    private let id: Int
    private let logger: Logger
    /// Behind a lock only because ``closeNow()`` may come from the task that gave up on a request.
    private let current = Mutex<PostgresConnection?>(nil)
    /// Called once the open connection closes, while a task holds the slot.
    private let onClose = Mutex<(@Sendable () -> Void)?>(nil)

    init(configuration: PostgresConnection.Configuration, id: Int, logger: Logger) {
        self.configuration = configuration
        self.id = id
        self.logger = logger
    }

    /// A slot like this one, with no connection yet.
    func fresh() -> PostgresConnectionSlot {
        PostgresConnectionSlot(configuration: configuration, id: id, logger: logger)
    }

    /// The open connection, after (re)connecting if there is none. `closed` is called if the
    /// connection closes before ``end()``.
    func open(ifClosed closed: (@Sendable () -> Void)? = nil) async throws -> PostgresConnection {
        onClose.withLock { $0 = closed }
        if let connection = current.withLock({ $0 }), !connection.isClosed { return connection }
        do {
            let opened = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: id, logger: logger)
            current.withLock { $0 = opened }
            // One callback per connection, not per use: it calls whoever holds the slot then.
            opened.closeFuture.whenComplete { [weak self] _ in
                guard let self, self.current.withLock({ $0 === opened }) else { return }
                self.onClose.withLock { $0 }?()
            }
            return opened
        } catch let error as PSQLError where error.code == .server {
            throw error  // PostgreSQL's own answer (starting up, too many connections): classified by its state
        } catch is CancellationError {
            throw CancellationError()  // the caller gave up
        } catch {
            logger.warning("Could not connect to PostgreSQL", metadata: ["error": "\(String(reflecting: error))"])
            throw StoreError.unavailable("Junction could not connect to PostgreSQL.")
        }
    }

    /// The task holding the slot is done with it.
    func end() {
        onClose.withLock { $0 = nil }
    }

    /// Closes the connection without waiting: what runs on it fails, and PostgreSQL rolls back
    /// what it had begun.
    func closeNow() {
        let closing: EventLoopFuture<Void>? = detach()?.close()
        _ = closing
    }

    /// Closes the connection and waits until it is closed.
    func close() async {
        try? await detach()?.close()
    }

    /// The connection, which the slot no longer holds.
    private func detach() -> PostgresConnection? {
        current.withLock { connection in
            defer { connection = nil }
            return connection
        }
    }

    /// One lending of a slot, ended once: by the task that used it (the slot goes back to the pool),
    /// or by its caller giving up first (the slot is abandoned, its connection closed, and a fresh
    /// slot takes its place, so a statement the driver never answers cannot hold a connection for
    /// good).
    final class Lease: Sendable {
        private enum State { case lent, returned, abandoned }
        private let state = Mutex(State.lent)

        var abandoned: Bool { state.withLock { $0 == .abandoned } }

        /// Whether the slot is to be given back (it was not abandoned).
        func end() -> Bool {
            state.withLock { state in
                guard state == .lent else { return false }
                state = .returned
                return true
            }
        }

        /// Whether the slot was still lent, and is now abandoned.
        func abandon() -> Bool {
            state.withLock { state in
                guard state == .lent else { return false }
                state = .abandoned
                return true
            }
        }
    }
}

extension StoreError {
    static let postgresConnectionLost = StoreError.unavailable("Junction lost its connection to PostgreSQL.")
}
