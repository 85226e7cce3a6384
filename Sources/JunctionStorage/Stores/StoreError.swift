/// Failures of the store that callers turn into answers.
public enum StoreError: Error, Sendable, Equatable {
    /// A unique value is taken (an email, an object id); the name of what is taken.
    case duplicate(String)
    /// The single-platform policy's constraint refused a second active platform connection (P4).
    case platformConnectionExists
    /// The database cannot be reached or written now (PostgreSQL restarting, a full disk); the
    /// request may succeed when retried. The reason is for the answer.
    case unavailable(String)
}
