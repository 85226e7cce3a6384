import ConnectModel
import Foundation
import JunctionStorage

/// What a person decided on the authorize page (or a script through the control API).
public struct AuthorizeDecision: Sendable {
    public var clientID: String
    public var user: User
    public var scope: String?
    public var redirectURI: String?
    public var state: String?
    public var allow: Bool
    /// The offered account picked, or `nil` with `createAccount`.
    public var account: String?
    public var createAccount: Bool
    public var shareBusinessWith: String?
    /// The request that carries the decision, reported by the events it causes.
    public var request: RequestInfo

    public init(
        clientID: String, user: User, scope: String?, redirectURI: String?, state: String?, allow: Bool,
        account: String?, createAccount: Bool, shareBusinessWith: String?, request: RequestInfo
    ) {
        self.clientID = clientID
        self.user = user
        self.scope = scope
        self.redirectURI = redirectURI
        self.state = state
        self.allow = allow
        self.account = account
        self.createAccount = createAccount
        self.shareBusinessWith = shareBusinessWith
        self.request = request
    }
}

/// The OAuth flow, one code path behind the web pages, `/oauth/*` and the control API (P1–P15).
/// Refusals are OAuth errors (``JunctionError/isOAuth``).
public struct OAuthFlow: Sendable {
    let store: any Store
    let clock: AdjustableClock

    public init(store: any Store, clock: AdjustableClock) {
        self.store = store
        self.clock = clock
    }

    /// Codes live 5 minutes (P15).
    public static let codeLifetime = 300

    /// The application of `clientID`, or `invalid_client`.
    public func application(_ clientID: String) async throws -> ConnectApplication {
        guard clientID.hasPrefix("ca_"), let application = try await store.application(clientID) else {
            throw JunctionError.invalidClient("No application matches the client_id '\(clientID)'.")
        }
        return application
    }

    /// The application whose secret key is `key` (the credential of `/oauth/token` and
    /// `/oauth/deauthorize`), or `invalid_client`.
    public func application(secretKey key: String) async throws -> ConnectApplication {
        guard let holder = try await store.keyHolder(hash: Identifiers.hash(key)), holder.key.kind == .secret,
            holder.connection == nil, let application = holder.application
        else {
            throw JunctionError.invalidClient(
                "Invalid API key \(JunctionError.masked(key)): it is not the secret key of a Connect application.")
        }
        return application
    }

    /// P15: the redirect URI must equal a registered one; without one, the first registered.
    public func redirectURI(_ requested: String?, for application: ConnectApplication) throws(JunctionError) -> String {
        if let requested, !requested.isEmpty {
            guard application.redirectURIs.contains(requested) else {
                throw .oauth(
                    "invalid_redirect_uri",
                    "Invalid redirect URI '\(requested)': it must equal one of the redirect URIs registered for \(application.name)."
                )
            }
            return requested
        }
        guard let first = application.redirectURIs.first else {
            throw .invalidOAuthRequest("\(application.name) has no registered redirect URI.")
        }
        return first
    }

    /// P8: the user's accounts the application may connect to.
    public func offeredAccounts(user: String, application: ConnectApplication) async throws -> [Account] {
        try await store.accountsWithConnections(ownedBy: user).filter { _, active in
            ConnectionRules.mayConnect(application, activeConnections: active)
        }.map(\.0)
    }

    /// Carries out an authorize decision; returns the URL the browser is sent to.
    public func authorize(_ decision: AuthorizeDecision) async throws -> String {
        let application = try await application(decision.clientID)
        let redirect = try redirectURI(decision.redirectURI, for: application)
        guard decision.allow else {
            return Self.url(
                redirect,
                [
                    "error": "access_denied", "error_description": "The user denied your request",
                    "state": decision.state,
                ])
        }
        // P2/P3 before anything is created: a platform asking for read_only is refused outright.
        _ = try ConnectionRules.scope(requested: decision.scope, for: application, on: nil)
        let now = clock.now()
        let codeSecret = Identifiers.secret("ac_")
        let codeHash = Identifiers.hash(codeSecret)
        let makeCode: @Sendable (Connection) -> OAuthCode? = { connection in
            OAuthCode(
                hash: codeHash, application: application.id, account: connection.account, connection: connection.id,
                scope: connection.scope, redirectURI: redirect, created: now, expiresAt: now + Self.codeLifetime)
        }
        let connection: Connection
        if decision.createAccount {
            connection = try await createAccountAndConnect(
                decision, application: application, now: now, makeCode: makeCode)
        } else {
            guard let accountID = decision.account, !accountID.isEmpty else {
                throw JunctionError.invalidOAuthRequest("Pick one of your accounts, or create a new one.")
            }
            guard let account = try await store.account(accountID), account.ownerUser == decision.user.id else {
                throw JunctionError.invalidOAuthRequest(
                    "Account \(accountID) is not one of \(decision.user.email)'s accounts.")
            }
            let requested = decision.scope
            do {
                connection = try await store.connect(
                    application: application, account: account.id, legacy: false, now: now,
                    decide: { account, active in
                        guard ConnectionRules.mayConnect(application, activeConnections: active) else {
                            throw JunctionError.accountUnavailable(account.id)  // P4
                        }
                        return try ConnectionRules.scope(requested: requested, for: application, on: account)
                    }, makeCode: makeCode,
                    eventIfNew: Self.applicationEvent(
                        .applicationAuthorized, application, account: account.id, now: now, request: decision.request))
            } catch StoreError.platformConnectionExists {
                throw JunctionError.accountUnavailable(account.id)  // P4, decided by the unique index
            }
        }
        return Self.url(redirect, ["code": codeSecret, "scope": connection.scope.rawValue, "state": decision.state])
    }

    /// P8: "create a new account", platform-controlled (C8) and Standard, connected at once.
    private func createAccountAndConnect(
        _ decision: AuthorizeDecision, application: ConnectApplication, now: Int,
        makeCode: @Sendable (Connection) -> OAuthCode?
    ) async throws -> Connection {
        var account = Account(
            id: Identifiers.make("acct"), created: now, type: .standard, controller: .standard,
            controllingApplication: application.kind == .platform ? application.id : nil, ownerUser: decision.user.id,
            country: Countries.fallback, defaultCurrency: Countries.defaultCurrency[Countries.fallback]!)
        do {
            if let shared = try await Registration(store: store, clock: clock).sharedBusiness(
                decision.shareBusinessWith, of: decision.user)
            {
                account.copyBusiness(from: shared)
            }
        } catch let refusal as JunctionError {
            throw JunctionError.invalidOAuthRequest(refusal.message)
        }
        account.email = decision.user.email
        account.markOpenedByPerson(now: now)
        let scope = try ConnectionRules.scope(requested: decision.scope, for: application, on: account)
        let connection = Connection(
            id: Identifiers.make("conn"), application: application.id, account: account.id, scope: scope,
            isPlatform: application.kind == .platform, created: now)
        try await store.insertAccount(
            account, connection: connection, code: makeCode(connection),
            events: [
                Self.applicationEvent(
                    .applicationAuthorized, application, account: account.id, now: now, request: decision.request)
            ])
        return connection
    }

    /// `POST /oauth/token`, `grant_type=authorization_code`.
    public func exchange(code: String, application: ConnectApplication) async throws -> JSONValue {
        let now = clock.now()
        let access = Identifiers.secret("sk_test_")
        let refresh = Identifiers.secret("rt_")
        let publishable = Identifiers.secret("pk_test_")
        let redemption = try await store.redeemCode(
            hash: Identifiers.hash(code), application: application.id, now: now
        ) { code in
            let base = APIKey(
                hash: "", kind: .oauthAccess, account: code.account, created: now, connection: code.connection,
                scope: code.scope, codeHash: code.hash)
            return [
                base.with(hash: Identifiers.hash(access), kind: .oauthAccess),
                base.with(hash: Identifiers.hash(refresh), kind: .oauthRefresh),
                base.with(hash: Identifiers.hash(publishable), kind: .publishable),
            ]
        }
        switch redemption {
        case .issued(let connection):
            return Self.token(
                access: access, refresh: refresh, publishable: publishable, connection: connection,
                scope: connection.scope)
        case .unknown: throw JunctionError.invalidGrant("Authorization code does not exist: \(code)")
        case .reused:
            throw JunctionError.invalidGrant(
                "Authorization code has already been used: \(code). The tokens issued from it have been revoked.")
        case .expired: throw JunctionError.invalidGrant("Authorization code expired: \(code). Codes live 5 minutes.")
        case .wrongApplication:
            throw JunctionError.invalidGrant("Authorization code provided does not belong to you: \(code)")
        case .connectionEnded: throw JunctionError.invalidGrant("The connection this code was issued for has ended.")
        }
    }

    /// `POST /oauth/token`, `grant_type=refresh_token`: a new access token on the same
    /// connection, of the same or a narrower scope. Its keys are stored together.
    public func refresh(token: String, scope requested: String?, application: ConnectApplication) async throws
        -> JSONValue
    {
        guard let (key, connection) = try await store.oauthKey(hash: Identifiers.hash(token)),
            key.kind == .oauthRefresh,
            let connection, connection.endedAt == nil, connection.application == application.id
        else { throw JunctionError.invalidGrant("Invalid refresh token: \(token)") }
        var scope = key.scope ?? connection.scope
        if let requested, !requested.isEmpty {
            guard let narrowed = Connection.Scope(rawValue: requested) else {
                throw JunctionError.invalidScope("Invalid scope '\(requested)': use read_write or read_only.")
            }
            if narrowed == .readWrite, scope == .readOnly {
                throw JunctionError.invalidScope("A refresh token cannot widen read_only to read_write.")
            }
            scope = narrowed
        }
        let access = Identifiers.secret("sk_test_")
        let publishable = Identifiers.secret("pk_test_")
        let base = APIKey(
            hash: "", kind: .oauthAccess, account: connection.account, created: clock.now(),
            // The code's hash carries over: replaying that code revokes these keys too (P15, L8).
            connection: connection.id, scope: scope, codeHash: key.codeHash)
        try await store.insertKeys([
            base.with(hash: Identifiers.hash(access), kind: .oauthAccess),
            base.with(hash: Identifiers.hash(publishable), kind: .publishable),
        ])
        return Self.token(
            access: access, refresh: token, publishable: publishable, connection: connection, scope: scope)
    }

    /// `POST /oauth/deauthorize` (P12, P13).
    public func deauthorize(account accountID: String, application: ConnectApplication, request: RequestInfo)
        async throws -> Connection
    {
        guard let account = try await store.account(accountID),
            try await store.activeConnection(application: application.id, account: accountID) != nil
        else { throw JunctionError.notConnected(accountID) }
        try ConnectionRules.checkDeauthorize(account)
        let now = clock.now()
        guard
            let ended = try await store.endConnection(
                application: application.id, account: accountID, now: now,
                event: Self.applicationEvent(
                    .applicationDeauthorized, application, account: accountID, now: now, request: request),
                change: { account, _ in
                    // Released from its platform, the account's controller and dashboard change.
                    let before = account
                    account.releaseFromPlatform(application.id)
                    return account.changeEvents(since: before, now: now, request: request)
                })
        else { throw JunctionError.notConnected(accountID) }
        return ended
    }

    /// P11: the account's owner revokes an application from the authorized-applications page.
    public func revoke(application applicationID: String, account accountID: String, request: RequestInfo)
        async throws -> (Connection, ConnectApplication)
    {
        guard let account = try await store.account(accountID) else {
            throw JunctionError.noSuch("account", accountID)
        }
        guard
            let (connection, application) = try await store.connections(ofAccount: accountID).first(where: {
                $0.1.id == applicationID
            })
        else { throw JunctionError.noSuch("authorized application", applicationID) }
        guard ConnectionRules.mayRevoke(connection, on: account) else {
            throw JunctionError(
                .invalidRequest, code: "platform_controlled",
                message:
                    "\(application.name) controls account \(accountID) (platform controls are enabled), so its access cannot be revoked. The platform can delete the account or, for accounts with the full dashboard, disconnect it.",
                param: "application")
        }
        let now = clock.now()
        guard
            let ended = try await store.endConnection(
                application: applicationID, account: accountID, now: now,
                event: Self.applicationEvent(
                    .applicationDeauthorized, application, account: accountID, now: now, request: request),
                change: { _, _ in [] })
        else { throw JunctionError.noSuch("authorized application", applicationID) }
        return (ended, application)
    }

    /// P6: a connection made before the single-platform policy (control API).
    public func legacyConnection(clientID: String, account accountID: String, scope: Connection.Scope) async throws
        -> (Connection, ConnectApplication, Account)
    {
        let application: ConnectApplication
        do { application = try await self.application(clientID) } catch let error as JunctionError {
            throw JunctionError.invalid(error.message, param: "client_id", code: "parameter_invalid")
        }
        guard application.kind == .platform else {
            throw JunctionError.invalid(
                "Legacy connections are platform connections; extensions were never limited.", param: "client_id",
                code: "parameter_invalid")
        }
        guard let account = try await store.account(accountID) else {
            throw JunctionError.noSuch("account", accountID, param: "account")
        }
        let connection = try await store.connect(
            application: application, account: accountID, legacy: true, now: clock.now(),
            decide: { _, _ in scope }, makeCode: { _ in nil }, eventIfNew: nil)
        return (connection, application, account)
    }

    /// `account.application.authorized` / `.deauthorized`: `data.object` is the application (E1).
    static func applicationEvent(
        _ type: EventType, _ application: ConnectApplication, account: String, now: Int, request: RequestInfo
    ) -> Event {
        Event(
            type, account: account, application: application.id, created: now, object: application.publicJSON,
            request: request)
    }

    static func token(
        access: String, refresh: String, publishable: String, connection: Connection, scope: Connection.Scope
    ) -> JSONValue {
        [
            "access_token": .string(access), "livemode": false, "refresh_token": .string(refresh),
            "scope": .string(scope.rawValue), "stripe_publishable_key": .string(publishable),
            "stripe_user_id": .string(connection.account), "token_type": "bearer",
        ]
    }

    /// `base` with query parameters added (nil values left out), percent-encoded.
    static func url(_ base: String, _ query: KeyValuePairs<String, String?>) -> String {
        var components = URLComponents(string: base) ?? URLComponents()
        var items = components.queryItems ?? []
        for (name, value) in query { if let value { items.append(URLQueryItem(name: name, value: value)) } }
        components.queryItems = items
        // URLComponents leaves '+' alone; in a query it would read as a space.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.string ?? base
    }
}
