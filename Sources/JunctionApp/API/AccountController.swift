import ConnectModel
import Hummingbird
import JunctionStorage
import StripeForm

/// The Accounts API: `/v1/accounts`, `/v1/account`, capabilities, login links, account links.
struct AccountController: Sendable {
    let services: JunctionServices

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(services: services)
        endpoint.add(.post, "/v1/accounts", to: router, AccountParams.create, create)
        endpoint.add(.get, "/v1/accounts", to: router, AccountParams.list, list)
        endpoint.add(.get, "/v1/account", to: router, AccountParams.expandOnly, retrieveSelf)
        endpoint.add(.get, "/v1/accounts/:id", to: router, AccountParams.expandOnly, retrieve)
        endpoint.add(.post, "/v1/accounts/:id", to: router, AccountParams.update, update)
        endpoint.add(.delete, "/v1/accounts/:id", to: router, ParamSchema([:]), delete)
        endpoint.add(.post, "/v1/accounts/:id/reject", to: router, AccountParams.reject, reject)
        endpoint.add(.post, "/v1/accounts/:id/unreject", to: router, AccountParams.expandOnly, unreject)
        endpoint.add(.get, "/v1/accounts/:id/capabilities", to: router, AccountParams.expandOnly, listCapabilities)
        endpoint.add(
            .get, "/v1/accounts/:id/capabilities/:name", to: router, AccountParams.expandOnly, retrieveCapability)
        endpoint.add(
            .post, "/v1/accounts/:id/capabilities/:name", to: router, AccountParams.capabilityUpdate, updateCapability)
        endpoint.add(.post, "/v1/accounts/:id/login_links", to: router, AccountParams.expandOnly, createLoginLink)
        endpoint.add(.post, "/v1/account_links", to: router, AccountParams.accountLink, createAccountLink)
    }

    // MARK: Accounts

    /// `POST /v1/accounts`: a platform, acting as itself (the authorization table sees to that),
    /// creates an account it controls (C1–C8).
    @Sendable func create(_ call: APICall) async throws -> APIResult {
        guard let platform = call.principal.application, platform.kind == .platform else {
            throw StripeError(
                status: .badRequest,
                message:
                    "You can only create new accounts if you've signed up for Connect as a platform. This key belongs to \(call.principal.application == nil ? "an account without a Connect application" : "an extension, which cannot create accounts")."
            )
        }
        let request = AccountParams.createRequest(call.params)
        try Self.checkCapabilityNames(request.capabilities.keys)
        let now = services.clock.now()
        let account = try Account.create(request, id: Identifiers.make("acct"), platform: platform.id, now: now)
        let connection = Connection(
            id: Identifiers.make("conn"), application: platform.id, account: account.id, scope: .readWrite,
            isPlatform: true, created: now)
        try await services.store.insertAccount(account, connection: connection, code: nil, events: [])
        return APIResult(body: account.rendered(for: .controllingPlatform))
    }

    /// `GET /v1/accounts/{id}`.
    @Sendable func retrieve(_ call: APICall) async throws -> APIResult {
        let (account, relation) = try await services.access.account(
            try call.context.parameters.require("id"), for: call)
        return APIResult(body: account.rendered(for: relation))
    }

    /// `GET /v1/account`: the caller's own account, or the `Stripe-Account` it acts as.
    @Sendable func retrieveSelf(_ call: APICall) async throws -> APIResult {
        let (account, relation) = try await services.access.actingAccount(for: call)
        return APIResult(body: account.rendered(for: relation))
    }

    /// `POST /v1/accounts/{id}`: who may change what follows P10 and F4; C9 is in the schema
    /// (`controller` and `type` are unknown parameters here).
    @Sendable func update(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let (_, relation) = try await services.access.account(id, for: call)
        let request = AccountParams.updateRequest(call.params)
        try Self.checkCapabilityNames(request.capabilities?.keys ?? [:].keys)
        let now = services.clock.now()
        let info = call.requestInfo
        guard
            let updated = try await services.store.updateAccount(
                id, emitting: { $1.changeEvents(since: $0, now: now, request: info) },
                { try $0.apply(request, as: relation, now: now) })
        else { throw StripeError.noAccess(key: call.principal.key, account: id) }
        return APIResult(body: updated.rendered(for: relation))
    }

    /// `DELETE /v1/accounts/{id}`: only the controlling platform deletes (test mode allows it for
    /// every account it controls).
    @Sendable func delete(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let (_, relation) = try await services.access.account(id, for: call)
        try Self.requireController(relation, account: id, action: "delete")
        _ = try await services.store.deleteAccount(id, now: services.clock.now())
        return APIResult(body: ["id": .string(id), "object": "account", "deleted": true])
    }

    /// `GET /v1/accounts`: the accounts connected to the caller, newest first (C10).
    @Sendable func list(_ call: APICall) async throws -> APIResult {
        let limit = call.params["limit"]?.integer ?? 10
        let cursor = try ListCursor.from(call.params)
        let page: Page<Account>
        if let application = call.principal.listingApplication {
            page = try await services.store.connectedAccounts(
                of: application.id, limit: limit, cursor: cursor,
                created: AccountParams.createdFilter(call.params["created"]))
        } else {
            page = Page(items: [], hasMore: false)
        }
        var data: [JSONValue] = []
        for account in page.items {
            let relation: AccountRelation =
                account.controllingApplication == call.principal.application?.id
                ? .controllingPlatform
                : (call.principal.application?.kind == .extension ? .connectedExtension : .connectedPlatform)
            data.append(account.rendered(for: relation))
        }
        return APIResult(body: ListCursor.list(data, hasMore: page.hasMore, url: "/v1/accounts"))
    }

    /// `POST /v1/accounts/{id}/reject` (P10: a platform control).
    @Sendable func reject(_ call: APICall) async throws -> APIResult {
        let reason = call.params["reason"]?.string ?? "other"
        return try await updateAsController(call, action: "reject") { $0.rejectedReason = reason }
    }

    /// `POST /v1/accounts/{id}/unreject`: the controlling platform takes a rejection back.
    @Sendable func unreject(_ call: APICall) async throws -> APIResult {
        try await updateAsController(call, action: "unreject") { $0.rejectedReason = nil }
    }

    /// Changes the account of the route's `{id}` when the caller is its controlling platform.
    private func updateAsController(
        _ call: APICall, action: String, _ change: @escaping @Sendable (inout Account) -> Void
    ) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let (_, relation) = try await services.access.account(id, for: call)
        try Self.requireController(relation, account: id, action: action)
        let now = services.clock.now()
        let info = call.requestInfo
        guard
            let account = try await services.store.updateAccount(
                id, emitting: { $1.changeEvents(since: $0, now: now, request: info) }, change)
        else {
            throw StripeError.noAccess(key: call.principal.key, account: id)
        }
        return APIResult(body: account.rendered(for: relation))
    }

    // MARK: Capabilities

    @Sendable func listCapabilities(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let (account, _) = try await services.access.account(id, for: call)
        let data = account.capabilities.keys.sorted().map { account.renderedCapability($0) }
        return APIResult(body: ListCursor.list(data, hasMore: false, url: "/v1/accounts/\(id)/capabilities"))
    }

    @Sendable func retrieveCapability(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let name = try call.context.parameters.require("name")
        let (account, _) = try await services.access.account(id, for: call)
        guard Capabilities.known.contains(name) else { throw ConnectError.noSuch("capability", name) }
        return APIResult(body: account.renderedCapability(name))
    }

    @Sendable func updateCapability(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let name = try call.context.parameters.require("name")
        let (_, relation) = try await services.access.account(id, for: call)
        guard Capabilities.known.contains(name) else { throw ConnectError.noSuch("capability", name) }
        try Self.requireController(relation, account: id, action: "change the capabilities of")
        let now = services.clock.now()
        let requested = call.params["requested"]?.boolean
        let info = call.requestInfo
        guard
            let account = try await services.store.updateAccount(
                id, emitting: { $1.changeEvents(since: $0, now: now, request: info) },
                { account in if let requested { account.requestCapability(name, requested, now: now) } })
        else { throw StripeError.noAccess(key: call.principal.key, account: id) }
        return APIResult(body: account.renderedCapability(name))
    }

    // MARK: Links

    /// `POST /v1/accounts/{id}/login_links`: only for express-dashboard accounts, only by their
    /// controller (C11).
    @Sendable func createLoginLink(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let (account, relation) = try await services.access.account(id, for: call)
        try Self.requireController(relation, account: id, action: "create login links for")
        guard account.controller.dashboard == .express else {
            throw StripeError(
                status: .badRequest,
                message:
                    "Login links can only be created for accounts with the Express dashboard (controller[stripe_dashboard][type]=express); account '\(id)' has controller[stripe_dashboard][type]=\(account.controller.dashboard.rawValue).",
                param: "account")
        }
        let now = services.clock.now()
        let token = Identifiers.secret("")
        // Single use and short-lived, like Stripe's: a platform makes one each time the user clicks.
        try await services.store.insertLoginLink(
            tokenHash: Authenticator.hash(token), account: id, created: now, expiresAt: now + 300)
        return APIResult(body: [
            "object": "login_link", "created": .int(now),
            "url": .string("\(services.baseURL(for: call.request))/express/login/\(token)"),
        ])
    }

    /// `POST /v1/account_links`: onboarding or update links for an account the caller controls.
    @Sendable func createAccountLink(_ call: APICall) async throws -> APIResult {
        let id = call.params["account"]?.string ?? ""
        let (_, relation) = try await services.access.account(id, for: call)
        try Self.requireController(relation, account: id, action: "create account links for")
        let now = services.clock.now()
        let token = Identifiers.secret("")
        let link = AccountLink(
            tokenHash: Authenticator.hash(token), account: id, application: call.principal.application?.id ?? "",
            type: call.params["type"]?.string ?? "account_onboarding", refreshURL: call.params["refresh_url"]?.string,
            returnURL: call.params["return_url"]?.string, created: now, expiresAt: now + 300)
        try await services.store.insertAccountLink(link)
        return APIResult(body: [
            "object": "account_link", "created": .int(now), "expires_at": .int(link.expiresAt),
            "url": .string("\(services.baseURL(for: call.request))/connect/onboarding/\(token)"),
        ])
    }

    // MARK: Helpers

    static func requireController(_ relation: AccountRelation, account: String, action: String) throws {
        guard relation == .controllingPlatform else {
            throw StripeError(
                status: .forbidden, code: "more_permissions_required_for_application",
                message: "Only the platform that controls account '\(account)' can \(action) it.")
        }
    }

    static func checkCapabilityNames(_ names: some Sequence<String>) throws {
        for name in names.sorted() where !Capabilities.known.contains(name) {
            throw StripeError(
                status: .badRequest, code: "parameter_unknown",
                message: "Received unknown parameter: capabilities[\(name)]. '\(name)' is not a capability.",
                param: "capabilities[\(name)]")
        }
    }
}

/// Stripe's list envelope and cursors.
enum ListCursor {
    static func from(_ params: Params) throws -> PageCursor {
        let after = params["starting_after"]?.string
        let before = params["ending_before"]?.string
        switch (after, before) {
        case (nil, nil): return .first
        case (let after?, nil): return .startingAfter(after)
        case (nil, let before?): return .endingBefore(before)
        case (_?, _?):
            throw StripeError(
                status: .badRequest,
                message: "You may only specify one of these parameters: ending_before, starting_after.",
                param: "ending_before")
        }
    }

    static func list(_ data: [JSONValue], hasMore: Bool, url: String) -> JSONValue {
        ["object": "list", "data": .array(data), "has_more": .bool(hasMore), "url": .string(url)]
    }
}
