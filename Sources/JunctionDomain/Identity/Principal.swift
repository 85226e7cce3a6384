import ConnectModel
import JunctionStorage

/// Who is calling: the account that owns the key, and the application it runs, if any. For an
/// OAuth access token (A3): the connected account, the connection's application, the connection
/// and the token's scope.
public struct Principal: Sendable {
    /// The key as sent (only ever shown masked).
    public var key: String
    public var account: Account
    public var application: ConnectApplication?
    /// Set for OAuth access tokens only.
    public var connection: Connection?
    public var tokenScope: Connection.Scope?

    public init(
        key: String, account: Account, application: ConnectApplication?, connection: Connection? = nil,
        tokenScope: Connection.Scope? = nil
    ) {
        self.key = key
        self.account = account
        self.application = application
        self.connection = connection
        self.tokenScope = tokenScope
    }

    /// The idempotency scope: keys are scoped to the key holder (for a token, its connection).
    public var idempotencyScope: String { connection.map { "oauth:\($0.id)" } ?? account.id }

    /// The application whose connected accounts this caller lists: none when acting through a token.
    public var listingApplication: ConnectApplication? { connection == nil ? application : nil }

    /// Whether acting as `acting` goes through a connection: an OAuth token, or `Stripe-Account`
    /// naming another account. Only then does the call's application collect application fees,
    /// and only then does A2–A4 decide.
    public func actsThroughConnection(on acting: String) -> Bool {
        connection != nil || acting != account.id
    }

    /// The account that sees the events of a call acting as `acting`: the application's own
    /// account when it acts on a connected one (so events there carry `account`, E1).
    public var eventViewer: String {
        if connection != nil, let application { return application.account }
        return account.id
    }
}

/// Finds the principal of an API key (A1).
public struct Authentication: Sendable {
    let store: any DirectoryStore

    public init(store: any DirectoryStore) {
        self.store = store
    }

    public func principal(key: String) async throws -> Principal {
        guard let holder = try await store.keyHolder(hash: Identifiers.hash(key)), holder.key.kind != .oauthRefresh
        else { throw JunctionError.invalidKey(key) }
        if holder.key.kind == .publishable { throw JunctionError.publishableKey() }
        return Principal(
            key: key, account: holder.account, application: holder.application, connection: holder.connection,
            tokenScope: holder.connection == nil ? nil : holder.key.scope)
    }
}
