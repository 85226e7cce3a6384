/// An OAuth authorization code (`ac_…`): single-use, lives 5 minutes (P15). Only its hash is kept.
public struct OAuthCode: Sendable, Codable, Equatable {
    public var hash: String
    public var application: String
    public var account: String
    public var connection: String
    public var scope: Connection.Scope
    public var redirectURI: String?
    public var created: Int
    public var expiresAt: Int
    public var usedAt: Int?

    public init(
        hash: String, application: String, account: String, connection: String, scope: Connection.Scope,
        redirectURI: String?, created: Int, expiresAt: Int, usedAt: Int? = nil
    ) {
        self.hash = hash
        self.application = application
        self.account = account
        self.connection = connection
        self.scope = scope
        self.redirectURI = redirectURI
        self.created = created
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }
}

/// What redeeming an authorization code came to.
public enum CodeRedemption: Sendable, Equatable {
    /// The tokens were stored; the connection they act through.
    case issued(Connection)
    case unknown
    /// Used before: the tokens issued from it are now revoked (P15).
    case reused
    case expired
    /// The code belongs to another application.
    case wrongApplication
    /// The connection ended before the code was redeemed.
    case connectionEnded
}
