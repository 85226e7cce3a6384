import ConnectModel
import Hummingbird
import JunctionStorage
import Logging

/// What every controller shares: storage, the one clock, the caller's identity and access.
public struct JunctionServices: Sendable {
    public let store: any Store
    public let clock: AdjustableClock
    public let logger: Logger
    /// The base URL pages and links are built on (`http://127.0.0.1:12111`).
    public let publicURL: String

    var authenticator: Authenticator { Authenticator(store: store) }

    /// The base URL for links in a response: the address the client reached us at (so links
    /// work behind any host name or a port chosen at start), else the configured one.
    func baseURL(for request: Request) -> String {
        guard let authority = request.head.authority, !authority.isEmpty,
            !authority.contains("/"), !authority.contains(" ")
        else { return publicURL }
        return "http://\(authority)"
    }
    var access: Access { Access(store: store) }

    public init(store: any Store, clock: AdjustableClock, logger: Logger, publicURL: String) {
        self.store = store
        self.clock = clock
        self.logger = logger
        self.publicURL = publicURL
    }

    /// Resolves ids for `expand[]` as the caller of `call` may see them: accounts it may see,
    /// applications, and the objects and balance transactions of the account it acts as (A6).
    func resolver(for call: APICall) -> Expansion.Resolver {
        let access = self.access
        let store = self.store
        let clock = self.clock
        return { id in
            if id.hasPrefix("acct_") {
                guard let (account, relation) = try? await access.account(id, for: call) else { return nil }
                return account.rendered(for: relation)
            }
            if id.hasPrefix("ca_"), let application = try await store.application(id) {
                return application.publicJSON
            }
            if id.hasPrefix("txn_") {
                return try await store.balanceTransaction(id, account: call.actingAccount)?.rendered(now: clock.now())
            }
            return try await store.object(id, account: call.actingAccount)?.publicDocument
        }
    }
}

extension ConnectApplication {
    /// The application object as other parties see it (`account.application.*` events, expansions).
    var publicJSON: JSONValue {
        ["id": .string(id), "object": "application", "name": .string(name)]
    }
}

/// What a caller may do with one account: how it relates to it, and with which scope (A2–A4).
struct Grant: Sendable {
    var account: Account
    var relation: AccountRelation
    var scope: Connection.Scope
}

/// Decides who may see which account, from connections (C8, C10, A2, A3, P10).
struct Access: Sendable {
    let store: any Store

    /// The caller's grant on `accountID`, or `nil` when it has none.
    func grant(of principal: Principal, on accountID: String) async throws -> Grant? {
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

    static func relation(_ application: ConnectApplication, _ connection: Connection, _ account: Account)
        -> AccountRelation
    {
        if application.kind == .extension || !connection.isPlatform { return .connectedExtension }
        return account.controllingApplication == application.id ? .controllingPlatform : .connectedPlatform
    }

    /// The account `accountID` and the caller's relation to it; 403 `account_invalid` when the
    /// caller may not see it, or it does not exist — the same answer, so ids cannot be probed.
    func account(_ accountID: String, for call: APICall) async throws -> (Account, AccountRelation) {
        let principal = call.principal
        // Acting as a connected account (`Stripe-Account`), only that account is visible.
        let acting = call.stripeAccount ?? principal.account.id
        guard acting == principal.account.id || acting == accountID,
            let grant = try await grant(of: principal, on: accountID)
        else { throw StripeError.noAccess(key: principal.key, account: call.stripeAccount ?? accountID) }
        return (grant.account, grant.relation)
    }

    /// The account the caller acts as: itself, or the `Stripe-Account` it is connected to (A2).
    func actingAccount(for call: APICall) async throws -> (Account, AccountRelation) {
        try await account(call.stripeAccount ?? call.principal.account.id, for: call)
    }
}
