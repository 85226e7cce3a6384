import Synchronization

/// A fixed set of connections lent out one task at a time; a task that finds none free waits
/// for the next one given back, in the order the tasks came.
final class ConnectionPool<Connection: Sendable>: Sendable {
    private struct State {
        var idle: [Connection]
        var waiters: [CheckedContinuation<Connection?, Never>] = []
        var closed = false
    }

    private let state: Mutex<State>

    private enum Taken {
        case connection(Connection)
        case closed
        case wait
    }

    init(_ connections: [Connection]) {
        state = Mutex(State(idle: connections))
    }

    /// A connection, once one is free; `nil` once the pool is closed.
    func take() async -> Connection? {
        let taken = state.withLock { state -> Taken in
            if state.closed { return .closed }
            return state.idle.popLast().map(Taken.connection) ?? .wait
        }
        switch taken {
        case .connection(let connection): return connection
        case .closed: return nil
        case .wait: break
        }
        return await withCheckedContinuation { continuation in
            let now = state.withLock { state -> Taken in
                if state.closed { return .closed }
                if let connection = state.idle.popLast() { return .connection(connection) }
                state.waiters.append(continuation)
                return .wait
            }
            switch now {
            case .connection(let connection): continuation.resume(returning: connection)
            case .closed: continuation.resume(returning: nil)
            case .wait: break
            }
        }
    }

    /// Gives `connection` back: to the task that waited longest, else to the idle ones.
    func give(_ connection: Connection) {
        let waiter = state.withLock { state -> CheckedContinuation<Connection?, Never>? in
            if state.waiters.isEmpty {
                state.idle.append(connection)
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.resume(returning: connection)
    }

    /// Closes the pool: the idle connections are returned (to be closed), waiting tasks get
    /// `nil`, and connections given back later stay idle in a pool nobody takes from.
    func close() -> [Connection] {
        let (idle, waiters) = state.withLock { state in
            defer {
                state.idle = []
                state.waiters = []
                state.closed = true
            }
            return (state.idle, state.waiters)
        }
        for waiter in waiters { waiter.resume(returning: nil) }
        return idle
    }
}
