import ConnectModel

/// Connections between applications and accounts, and the OAuth codes and tokens that make and
/// use them (P-rules).
public protocol ConnectionStore: Sendable {
    /// Connects `application` to an account, or reuses its active connection (P7), under a lock
    /// on the account so concurrent connects are decided one at a time (P4). `decide` sees the
    /// account and its active connections and returns the scope, or throws to refuse.
    /// `makeCode` builds the code to store for the resulting connection.
    /// `eventIfNew` is stored when a new connection is made (not when one is reused).
    func connect(
        application: ConnectApplication, account: String, legacy: Bool, now: Int,
        decide: @escaping @Sendable (Account, [Connection]) throws -> Connection.Scope,
        makeCode: @escaping @Sendable (Connection) -> OAuthCode?, eventIfNew: Event?
    ) async throws -> Connection
    /// Redeems a code once and stores the tokens made for its connection.
    func redeemCode(
        hash: String, application: String, now: Int, tokens: @escaping @Sendable (OAuthCode) -> [APIKey]
    ) async throws -> CodeRedemption
    /// Ends an active connection, revokes its tokens and lets `change` adjust the account, in one
    /// transaction with `event` and the events `change` returns (those of the account's change).
    /// Returns the ended connection, or `nil` when there was none.
    func endConnection(
        application: String, account: String, now: Int, event: Event?,
        change: @escaping @Sendable (inout Account, Connection) throws -> [Event]
    ) async throws -> Connection?
    /// The active connections of an account with their applications, oldest first.
    func connections(ofAccount account: String) async throws -> [(Connection, ConnectApplication)]
    func activeConnection(application: String, account: String) async throws -> Connection?
    /// An account and, when `application` is given, that application's active connection to it.
    func account(_ id: String, connectionOf application: String?) async throws -> (Account, Connection?)?
    /// The user's accounts, each with its active connections (P8's picker decides from these).
    func accountsWithConnections(ownedBy user: String) async throws -> [(Account, [Connection])]
    /// A stored key by the hash of its secret, with the state of its connection (OAuth tokens).
    func oauthKey(hash: String) async throws -> (APIKey, Connection?)?
}
