import ConnectModel

/// Who does something, and when: the account whose objects are read and written, the
/// application the call comes through (which collects application fees), the request that
/// caused it (events report it), and the time on Junction's clock.
public struct Caller: Sendable {
    public var account: String
    /// Set when the call comes through a connection (`Stripe-Account`, or an OAuth access token).
    public var application: ConnectApplication?
    public var request: RequestInfo
    public var now: Int

    public init(account: String, application: ConnectApplication? = nil, request: RequestInfo, now: Int) {
        self.account = account
        self.application = application
        self.request = request
        self.now = now
    }
}
