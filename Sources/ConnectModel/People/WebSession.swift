/// A browser session. Only the hash of the cookie's token is kept; `csrf` is the token every
/// form of the session must carry.
public struct WebSession: Sendable, Codable, Equatable {
    public var tokenHash: String
    /// The signed-in person, if any.
    public var user: String?
    /// The one account an Express login link opened (reduced dashboard), if any.
    public var account: String?
    public var csrf: String
    public var created: Int
    public var expiresAt: Int

    public init(tokenHash: String, user: String?, account: String?, csrf: String, created: Int, expiresAt: Int) {
        self.tokenHash = tokenHash
        self.user = user
        self.account = account
        self.csrf = csrf
        self.created = created
        self.expiresAt = expiresAt
    }
}
