/// What an API key is.
public enum KeyKind: String, Sendable, Codable {
    case secret
    case publishable
    /// An OAuth access token: acts as the connected account with the token's scope (A3).
    case oauthAccess = "oauth_access"
    /// An OAuth refresh token (`rt_…`): only good for `POST /oauth/token`.
    case oauthRefresh = "oauth_refresh"
}

/// A stored API key: only its SHA-256 is kept.
public struct APIKey: Sendable, Codable, Equatable {
    public var hash: String
    public var kind: KeyKind
    public var account: String
    public var created: Int
    /// For OAuth tokens: the connection they act through, their scope, and the code they came from.
    public var connection: String?
    public var scope: Connection.Scope?
    public var codeHash: String?

    public init(
        hash: String, kind: KeyKind, account: String, created: Int, connection: String? = nil,
        scope: Connection.Scope? = nil, codeHash: String? = nil
    ) {
        self.hash = hash
        self.kind = kind
        self.account = account
        self.created = created
        self.connection = connection
        self.scope = scope
        self.codeHash = codeHash
    }

    /// The same key's properties for another secret and kind (the tokens of one grant).
    public func with(hash: String, kind: KeyKind) -> APIKey {
        var copy = self
        copy.hash = hash
        copy.kind = kind
        return copy
    }
}
