/// Rules P2–P12: which scope an application gets, which accounts it may connect, and how a
/// connection may end.
public enum ConnectionRules {
    /// P2 and P3: the scope granted for `requested` (`nil` when the request named none).
    ///
    /// - Platforms get `read_write` only; asking for `read_only`, or for nothing (which means
    ///   `read_only`), is `invalid_scope`.
    /// - Extensions get `read_only` by default, `read_write` when asked, but never more than
    ///   `read_only` on an account whose controlling platform carries the losses.
    public static func scope(requested: String?, for application: ConnectApplication, on account: Account?)
        throws(JunctionError) -> Connection.Scope
    {
        let scope: Connection.Scope
        switch requested {
        case nil, "": scope = .readOnly
        case let value?:
            guard let parsed = Connection.Scope(rawValue: value) else {
                throw .invalidScope("Invalid scope '\(value)': use read_write or read_only.")
            }
            scope = parsed
        }
        switch application.kind {
        case .platform:
            guard scope == .readWrite else {
                throw .invalidScope(
                    "Platforms can only request the read_write scope\(requested == nil ? " (no scope means read_only)" : ""). read_only is for extensions."
                )
            }
            return .readWrite
        case .extension:
            if scope == .readWrite, let account, account.isPlatformControlled,
                account.controller.lossesPayments == .application
            {
                return .readOnly
            }
            return scope
        }
    }

    /// P4, P5, P7: whether `application` may connect to an account whose active connections are
    /// `active`. Extensions always may; a platform only when no other platform is connected
    /// (a legacy connection counts too). A platform already connected may re-authorize.
    public static func mayConnect(_ application: ConnectApplication, activeConnections active: [Connection]) -> Bool {
        guard application.kind == .platform else { return true }
        return active.allSatisfy { !$0.isPlatform || $0.application == application.id }
    }

    /// P11: an account's owner may revoke any extension and any platform that does not control it.
    public static func mayRevoke(_ connection: Connection, on account: Account) -> Bool {
        !(connection.isPlatform && account.controllingApplication == connection.application)
    }

    /// P12: a platform may deauthorize only accounts with the full dashboard.
    public static func checkDeauthorize(_ account: Account) throws(JunctionError) {
        guard account.controller.dashboard == .full else {
            throw .invalidOAuthRequest(
                "Account \(account.id) has controller[stripe_dashboard][type]=\(account.controller.dashboard.rawValue) and cannot be deauthorized: accounts without the full dashboard end with DELETE /v1/accounts/\(account.id) or POST /v1/accounts/\(account.id)/reject."
            )
        }
    }
}

extension Account {
    /// P12: when its controlling platform disconnects, an account becomes a direct account: its
    /// owner controls it from then on.
    public mutating func releaseFromPlatform(_ application: String) {
        guard controllingApplication == application else { return }
        controllingApplication = nil
    }
}
