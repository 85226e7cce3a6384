import Synchronization

/// The time one request spends in the database, waits for a connection or the write lock
/// included: `/metrics` reports it per route. Each backend adds every transaction and read of
/// the task that carries a meter.
public final class DatabaseMeter: Sendable {
    private let nanoseconds = Atomic<Int>(0)
    private let calls = Atomic<Int>(0)

    public init() {}

    @TaskLocal public static var current: DatabaseMeter?

    /// The time spent so far.
    public var seconds: Double { Double(nanoseconds.load(ordering: .relaxed)) / 1e9 }
    /// Transactions and reads so far.
    public var count: Int { calls.load(ordering: .relaxed) }

    /// `body`, added to the current task's meter if it has one.
    static func timed<R>(_ body: () async throws -> R) async throws -> R {
        guard let meter = current else { return try await body() }
        let start = ContinuousClock.now
        defer {
            let elapsed = ContinuousClock.now - start
            let (seconds, attoseconds) = elapsed.components
            meter.nanoseconds.add(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000), ordering: .relaxed)
            meter.calls.add(1, ordering: .relaxed)
        }
        return try await body()
    }
}
