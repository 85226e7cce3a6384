import ConnectModel
import Foundation
import JunctionStorage

/// The Accounts API's operations: platforms create and control connected accounts (C1–C11, P10,
/// F4); links open hosted onboarding and the Express dashboard. Who the caller is to the account
/// (its ``AccountRelation``) was decided by ``AccessControl``.
public struct ConnectedAccounts: Sendable {
    let store: any AccountStore & SessionStore
    let clock: AdjustableClock

    public init(store: any AccountStore & SessionStore, clock: AdjustableClock) {
        self.store = store
        self.clock = clock
    }

    /// `POST /v1/accounts`: a platform, acting as itself, creates an account it controls (C1–C8).
    public func create(_ request: AccountCreateRequest, by application: ConnectApplication?) async throws -> Account {
        guard let platform = application, platform.kind == .platform else {
            throw JunctionError.invalid(
                "You can only create new accounts if you've signed up for Connect as a platform. This key belongs to \(application == nil ? "an account without a Connect application" : "an extension, which cannot create accounts")."
            )
        }
        try Self.checkCapabilityNames(request.capabilities.keys)
        let now = clock.now()
        let account = try Account.create(request, id: Identifiers.make("acct"), platform: platform.id, now: now)
        let connection = Connection(
            id: Identifiers.make("conn"), application: platform.id, account: account.id, scope: .readWrite,
            isPlatform: true, created: now)
        try await store.insertAccount(account, connection: connection)
        return account
    }

    /// `POST /v1/accounts/{id}`: who may change what follows P10 and F4.
    public func update(
        _ id: String, _ request: AccountUpdateRequest, as relation: AccountRelation, request info: RequestInfo
    ) async throws -> Account? {
        try Self.checkCapabilityNames(request.capabilities?.keys ?? [:].keys)
        let now = clock.now()
        return try await store.updateAccount(
            id, emitting: { $1.changeEvents(since: $0, now: now, request: info) },
            { try $0.apply(request, as: relation, now: now) })
    }

    /// `DELETE /v1/accounts/{id}`: only the controlling platform deletes (test mode allows it for
    /// every account it controls).
    public func delete(_ id: String, as relation: AccountRelation) async throws {
        try Self.requireController(relation, account: id, action: "delete")
        _ = try await store.deleteAccount(id, now: clock.now())
    }

    /// `reject` and `unreject` (P10: platform controls).
    public func reject(_ id: String, reason: String?, as relation: AccountRelation, request info: RequestInfo)
        async throws -> Account?
    {
        try Self.requireController(relation, account: id, action: reason == nil ? "unreject" : "reject")
        let now = clock.now()
        return try await store.updateAccount(id, emitting: { $1.changeEvents(since: $0, now: now, request: info) }) {
            $0.rejectedReason = reason
        }
    }

    /// `POST /v1/accounts/{id}/capabilities/{name}`: by the controlling platform.
    public func requestCapability(
        _ id: String, _ name: String, requested: Bool?, as relation: AccountRelation, request info: RequestInfo
    ) async throws -> Account? {
        guard Capabilities.known.contains(name) else { throw JunctionError.noSuch("capability", name) }
        try Self.requireController(relation, account: id, action: "change the capabilities of")
        let now = clock.now()
        return try await store.updateAccount(id, emitting: { $1.changeEvents(since: $0, now: now, request: info) }) {
            account in if let requested { account.requestCapability(name, requested, now: now) }
        }
    }

    /// `POST /v1/accounts/{id}/login_links`: only for express-dashboard accounts, only by their
    /// controller (C11). Single use and short-lived, like Stripe's: a platform makes one each
    /// time the user clicks. Returns the link's token.
    public func createLoginLink(for account: Account, as relation: AccountRelation) async throws -> (
        token: String, created: Int
    ) {
        try Self.requireController(relation, account: account.id, action: "create login links for")
        guard account.controller.dashboard == .express else {
            throw JunctionError.invalid(
                "Login links can only be created for accounts with the Express dashboard (controller[stripe_dashboard][type]=express); account '\(account.id)' has controller[stripe_dashboard][type]=\(account.controller.dashboard.rawValue).",
                param: "account")
        }
        let now = clock.now()
        let token = Identifiers.secret("")
        try await store.insertLoginLink(
            tokenHash: Identifiers.hash(token), account: account.id, created: now, expiresAt: now + 300)
        return (token, now)
    }

    /// The account a login link opens, once; `nil` when unknown, used or expired.
    public func useLoginLink(_ token: String) async throws -> String? {
        try await store.useLoginLink(tokenHash: Identifiers.hash(token), now: clock.now())
    }

    /// `POST /v1/account_links`: onboarding or update links for an account the caller controls,
    /// single-use and alive 300 s. Returns the link and its token.
    public func createAccountLink(
        _ id: String, as relation: AccountRelation, application: String?, type: AccountLinkType, refreshURL: String?,
        returnURL: String?
    ) async throws -> (link: AccountLink, token: String) {
        try Self.requireController(relation, account: id, action: "create account links for")
        // They go straight into a redirect: absolute http(s) URLs only, as Stripe requires.
        for (param, url) in [("refresh_url", refreshURL), ("return_url", returnURL)] {
            guard let url else { continue }
            guard let parsed = URLComponents(string: url), let scheme = parsed.scheme?.lowercased(),
                scheme == "http" || scheme == "https", parsed.host?.isEmpty == false,
                url.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
            else { throw JunctionError.invalid("Not a valid URL", param: param, code: "url_invalid") }
        }
        let now = clock.now()
        let token = Identifiers.secret("")
        let link = AccountLink(
            tokenHash: Identifiers.hash(token), account: id, application: application ?? "", type: type,
            refreshURL: refreshURL, returnURL: returnURL, created: now, expiresAt: now + 300)
        try await store.insertAccountLink(link)
        return (link, token)
    }

    /// The link behind an onboarding URL's token.
    public func accountLink(_ token: String) async throws -> AccountLink? {
        try await store.accountLink(tokenHash: Identifiers.hash(token))
    }

    /// Uses an account link once to complete the account's onboarding; `nil` when the link was
    /// used or has expired.
    public func completeOnboarding(_ token: String, _ submission: OnboardingSubmission, request info: RequestInfo)
        async throws -> Account?
    {
        let now = clock.now()
        return try await store.useAccountLink(
            tokenHash: Identifiers.hash(token), now: now,
            emitting: { before, after in
                // The account's change with its bank account, and the representative it named.
                Self.externalAccountEvents(before, after, now: now, request: info)
                    + Self.personEvents(before, after, now: now, request: info).filter {
                        $0.type.rawValue.hasPrefix("person.")
                    }
            },
            { try $0.completeOnboarding(submission, now: now) })
    }

    static func requireController(_ relation: AccountRelation, account: String, action: String) throws(JunctionError) {
        guard relation == .controllingPlatform else {
            throw JunctionError(
                .permission, code: "more_permissions_required_for_application",
                message: "Only the platform that controls account '\(account)' can \(action) it.")
        }
    }

    static func checkCapabilityNames(_ names: some Sequence<String>) throws(JunctionError) {
        for name in names.sorted() where !Capabilities.known.contains(name) {
            throw JunctionError(
                .invalidRequest, code: "parameter_unknown",
                message: "Received unknown parameter: capabilities[\(name)]. '\(name)' is not a capability.",
                param: "capabilities[\(name)]")
        }
    }
}
