import ConnectModel
import JunctionStorage

/// What a caller may do with one account: how it relates to it, and with which scope (A2–A4).
public struct Grant: Sendable {
    public var account: Account
    public var relation: AccountRelation
    public var scope: Connection.Scope
}

/// Decides who may see which account, from connections (C8, C10, A2, A3, P10).
public struct AccessControl: Sendable {
    let store: any ConnectionStore

    public init(store: any ConnectionStore) {
        self.store = store
    }

    /// The principal's grant on `accountID`, or `nil` when it has none.
    public func grant(of principal: Principal, on accountID: String) async throws -> Grant? {
        if let connection = principal.connection, let application = principal.application {
            // A3: a token acts as its connected account only, with the token's scope.
            guard accountID == connection.account else { return nil }
            let scope: Connection.Scope =
                principal.tokenScope == .readOnly || connection.scope == .readOnly ? .readOnly : .readWrite
            return Grant(
                account: principal.account, relation: Self.relation(application, connection, principal.account),
                scope: scope)
        }
        if principal.account.id == accountID {
            return Grant(account: principal.account, relation: .owner, scope: .readWrite)
        }
        guard let application = principal.application,
            let (account, connection) = try await store.account(accountID, connectionOf: application.id),
            let connection
        else { return nil }
        return Grant(
            account: account, relation: Self.relation(application, connection, account), scope: connection.scope)
    }

    /// How an application connected through `connection` relates to `account`.
    public static func relation(_ application: ConnectApplication, _ connection: Connection, _ account: Account)
        -> AccountRelation
    {
        if application.kind == .extension || !connection.isPlatform { return .connectedExtension }
        return account.controllingApplication == application.id ? .controllingPlatform : .connectedPlatform
    }

    /// How `application` relates to `account` in its list of connected accounts (C10).
    public static func listedRelation(of application: ConnectApplication?, to account: Account) -> AccountRelation {
        if account.controllingApplication == application?.id { return .controllingPlatform }
        return application?.kind == .extension ? .connectedExtension : .connectedPlatform
    }

    /// The account `accountID` and the principal's relation to it, for a call that named
    /// `stripeAccount` (or none); 403 `account_invalid` when it may not see it, or it does not
    /// exist — the same answer, so ids cannot be probed.
    public func account(_ accountID: String, principal: Principal, stripeAccount: String?) async throws -> (
        Account, AccountRelation
    ) {
        // Acting as a connected account (`Stripe-Account`), only that account is visible.
        let acting = stripeAccount ?? principal.account.id
        guard acting == principal.account.id || acting == accountID,
            let grant = try await grant(of: principal, on: accountID)
        else { throw JunctionError.noAccess(key: principal.key, account: stripeAccount ?? accountID) }
        return (grant.account, grant.relation)
    }
}
