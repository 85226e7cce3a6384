import JunctionStorage
import Logging

/// Bookkeeping that must reach the database even when it is briefly out of reach (a PostgreSQL
/// restart): an idempotent answer already sent, a webhook attempt already made. Without it the
/// key would stay "in flight" and the event be sent again once its lease ran out.
enum StoreRetry {
    /// Runs `write` until it succeeds, retrying while the store is unavailable, for at most
    /// `limit`; any other failure ends it. Returns whether it was written.
    @discardableResult
    static func persistently(
        for limit: Duration, logger: Logger, what: String, _ write: @Sendable () async throws -> Void
    ) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while true {
            do {
                try await write()
                return true
            } catch StoreError.unavailable where ContinuousClock.now < deadline && !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
            } catch {
                logger.error("could not store \(what): \(String(reflecting: error))")
                return false
            }
        }
    }
}
