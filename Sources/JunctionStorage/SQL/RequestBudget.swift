/// The time a request has left to wait on the database, across all of its transactions. Each
/// transaction has its own limit too, but limits that add up (key, claim, work) could hold a
/// client past its own timeout while the database restarts; with a budget the request is
/// answered (503, retry) in bounded time, however many transactions it runs.
public enum RequestBudget {
    @TaskLocal public static var deadline: ContinuousClock.Instant?

    /// Runs `body` with `limit` to spend from now (or what is left of an enclosing budget, if less).
    public static func within<R>(_ limit: Duration, _ body: () async throws -> R) async rethrows -> R {
        var end = ContinuousClock.now + limit
        if let enclosing = deadline, enclosing < end { end = enclosing }
        return try await $deadline.withValue(end) { try await body() }
    }

    /// Runs `body` with `limit` to spend from now, whatever was left of an enclosing budget
    /// (bookkeeping after the request's own time is spent).
    public static func anew<R>(_ limit: Duration, _ body: () async throws -> R) async rethrows -> R {
        try await $deadline.withValue(ContinuousClock.now + limit) { try await body() }
    }

    /// How long a transaction limited to `own` may wait: less if the budget ends sooner; `nil`
    /// when the budget is spent.
    static func limit(_ own: Duration) -> Duration? {
        guard let deadline else { return own }
        let left = deadline - ContinuousClock.now
        guard left > .zero else { return nil }
        return min(own, left)
    }
}
