/// The owner of an API key, read in one go for every authenticated request.
public struct KeyHolder: Sendable, Equatable {
    public var key: APIKey
    public var account: Account
    /// The application the account runs, if it is a platform's or an extension's account; for
    /// an OAuth token, the application of its connection.
    public var application: ConnectApplication?
    /// For an OAuth token: its active connection.
    public var connection: Connection?

    public init(key: APIKey, account: Account, application: ConnectApplication?, connection: Connection? = nil) {
        self.key = key
        self.account = account
        self.application = application
        self.connection = connection
    }
}
