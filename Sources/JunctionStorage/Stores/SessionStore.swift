import ConnectModel

/// The short-lived secrets people's pages open: account links (hosted onboarding), Express login
/// links and browser sessions. Only hashes of their tokens are kept.
public protocol SessionStore: Sendable {
    func insertAccountLink(_ link: AccountLink) async throws
    func accountLink(tokenHash: String) async throws -> AccountLink?
    /// Uses a link once: marks it used and changes its account in one transaction. Returns the
    /// changed account, or `nil` when the link was already used or has expired.
    func useAccountLink(
        tokenHash: String, now: Int, emitting: @escaping @Sendable (Account, Account) -> [Event],
        _ change: @escaping @Sendable (inout Account) throws -> Void
    ) async throws -> Account?
    func insertLoginLink(tokenHash: String, account: String, created: Int, expiresAt: Int) async throws
    /// Uses a login link once; returns its account, or `nil` when unknown, used or expired.
    func useLoginLink(tokenHash: String, now: Int) async throws -> String?
    func insertSession(_ session: WebSession) async throws
    /// The session with this token hash, unless it has expired at `now`.
    func session(tokenHash: String, now: Int) async throws -> WebSession?
    func deleteSession(tokenHash: String) async throws
}
