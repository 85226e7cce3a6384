import ConnectModel
import Hummingbird
import JunctionDomain
import StripeForm

/// The Accounts API: `/v1/accounts`, `/v1/account`, capabilities, login links, account links.
/// Who the caller is to each account is ``AccessControl``'s decision; what it may do is the
/// domain's (``ConnectedAccounts``) and the rules'.
struct AccountController: Sendable {
    let dependencies: Dependencies
    var accounts: ConnectedAccounts { dependencies.accounts }

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(dependencies: dependencies)
        endpoint.add(.post, "/v1/accounts", to: router, AccountParams.create, create)
        endpoint.add(.get, "/v1/accounts", to: router, AccountParams.list, list)
        endpoint.add(.get, "/v1/account", to: router, CommonParams.expandOnly, retrieveSelf)
        endpoint.add(.get, "/v1/accounts/:id", to: router, CommonParams.expandOnly, retrieve)
        endpoint.add(.post, "/v1/accounts/:id", to: router, AccountParams.update, update)
        endpoint.add(.delete, "/v1/accounts/:id", to: router, ParamSchema([:]), delete)
        endpoint.add(.post, "/v1/accounts/:id/reject", to: router, AccountParams.reject, reject)
        endpoint.add(.post, "/v1/accounts/:id/unreject", to: router, CommonParams.expandOnly, unreject)
        endpoint.add(.get, "/v1/accounts/:id/capabilities", to: router, CommonParams.expandOnly, listCapabilities)
        endpoint.add(
            .get, "/v1/accounts/:id/external_accounts", to: router,
            CommonParams.list(["object": ParamSpec(.enumeration(["bank_account", "card"]))]), listExternalAccounts)
        endpoint.add(
            .post, "/v1/accounts/:id/external_accounts", to: router, AccountParams.externalAccountCreate,
            createExternalAccount)
        endpoint.add(
            .get, "/v1/accounts/:id/external_accounts/:external", to: router, CommonParams.expandOnly,
            retrieveExternalAccount)
        endpoint.add(
            .post, "/v1/accounts/:id/external_accounts/:external", to: router, AccountParams.externalAccountUpdate,
            updateExternalAccount)
        endpoint.add(
            .delete, "/v1/accounts/:id/external_accounts/:external", to: router, ParamSchema([:]),
            deleteExternalAccount)
        endpoint.add(.post, "/v1/accounts/:id/persons", to: router, AccountParams.person, createPerson)
        endpoint.add(
            .get, "/v1/accounts/:id/persons", to: router,
            CommonParams.list([
                "relationship": ParamSpec(
                    .object([
                        "representative": ParamSpec(.boolean), "owner": ParamSpec(.boolean),
                        "director": ParamSpec(.boolean), "executive": ParamSpec(.boolean),
                        "authorizer": ParamSpec(.boolean), "legal_guardian": ParamSpec(.boolean),
                    ]))
            ]), listPersons)
        endpoint.add(.get, "/v1/accounts/:id/persons/:person", to: router, CommonParams.expandOnly, retrievePerson)
        endpoint.add(.post, "/v1/accounts/:id/persons/:person", to: router, AccountParams.person, updatePerson)
        endpoint.add(.delete, "/v1/accounts/:id/persons/:person", to: router, ParamSchema([:]), deletePerson)
        endpoint.add(
            .get, "/v1/accounts/:id/capabilities/:name", to: router, CommonParams.expandOnly, retrieveCapability)
        endpoint.add(
            .post, "/v1/accounts/:id/capabilities/:name", to: router, AccountParams.capabilityUpdate, updateCapability)
        endpoint.add(.post, "/v1/accounts/:id/login_links", to: router, CommonParams.expandOnly, createLoginLink)
        endpoint.add(.post, "/v1/account_links", to: router, AccountParams.accountLink, createAccountLink)
    }

    /// The account `id` and the caller's relation to it (A2: 403 when it may not see it).
    private func account(_ id: String, _ call: APICall) async throws -> (Account, AccountRelation) {
        try await dependencies.access.account(id, principal: call.principal, stripeAccount: call.stripeAccount)
    }

    /// An account changed by the domain, rendered for the caller; 403 when it went away meanwhile.
    private func rendered(_ account: Account?, _ relation: AccountRelation, _ call: APICall, id: String) throws
        -> APIResult
    {
        guard let account else { throw JunctionError.noAccess(key: call.principal.key, account: id) }
        return APIResult(body: account.rendered(for: relation))
    }

    /// `POST /v1/accounts`: a platform, acting as itself (the authorization table sees to that),
    /// creates an account it controls (C1–C8).
    @Sendable func create(_ call: APICall) async throws -> APIResult {
        let account = try await accounts.create(
            AccountParams.createRequest(call.params), by: call.principal.application)
        return APIResult(body: account.rendered(for: .controllingPlatform))
    }

    @Sendable func retrieve(_ call: APICall) async throws -> APIResult {
        let (account, relation) = try await account(try call.path(), call)
        return APIResult(body: account.rendered(for: relation))
    }

    /// `GET /v1/account`: the caller's own account, or the `Stripe-Account` it acts as.
    @Sendable func retrieveSelf(_ call: APICall) async throws -> APIResult {
        let (account, relation) = try await account(call.actingAccount, call)
        return APIResult(body: account.rendered(for: relation))
    }

    /// `POST /v1/accounts/{id}`: P10 and F4 decide; C9 is in the schema (`controller` and `type`
    /// are unknown parameters here).
    @Sendable func update(_ call: APICall) async throws -> APIResult {
        let id = try call.path()
        let (_, relation) = try await account(id, call)
        let updated = try await accounts.update(
            id, AccountParams.updateRequest(call.params), as: relation, request: call.requestInfo)
        return try rendered(updated, relation, call, id: id)
    }

    @Sendable func delete(_ call: APICall) async throws -> APIResult {
        let id = try call.path()
        let (_, relation) = try await account(id, call)
        try await accounts.delete(id, as: relation)
        return APIResult(body: Account.deletedStub(id))
    }

    /// `GET /v1/accounts`: the accounts connected to the caller, newest first (C10).
    /// C10: the accounts connected to the platform the call acts as. Through `Stripe-Account` (or
    /// an OAuth token) the call acts as the connected account: its own connected accounts if it
    /// is a platform itself, else none ("if you're not a platform, the list is empty").
    @Sendable func list(_ call: APICall) async throws -> APIResult {
        let application =
            call.acting.throughConnection
            ? try await dependencies.store.application(ownedBy: call.actingAccount)
            : call.principal.listingApplication
        var page = Page<Account>(items: [], hasMore: false)
        if let application {
            page = try await dependencies.store.connectedAccounts(of: application.id, page: try call.page())
        }
        return APIResult(
            body: ListEnvelope.list(
                page.map { $0.rendered(for: AccessControl.listedRelation(of: application, to: $0)) },
                url: "/v1/accounts"))
    }

    /// `POST /v1/accounts/{id}/reject` (P10: a platform control).
    @Sendable func reject(_ call: APICall) async throws -> APIResult {
        try await reject(call, reason: call.params["reason"]?.string ?? "other")
    }

    /// `POST /v1/accounts/{id}/unreject`: the controlling platform takes a rejection back.
    @Sendable func unreject(_ call: APICall) async throws -> APIResult {
        try await reject(call, reason: nil)
    }

    private func reject(_ call: APICall, reason: String?) async throws -> APIResult {
        let id = try call.path()
        let (_, relation) = try await account(id, call)
        let account = try await accounts.reject(id, reason: reason, as: relation, request: call.requestInfo)
        return try rendered(account, relation, call, id: id)
    }

    /// An account's bank accounts and debit cards, for itself and its controlling platform.
    @Sendable func listExternalAccounts(_ call: APICall) async throws -> APIResult {
        let id = try call.path()
        let (account, relation) = try await account(id, call)
        var data = accounts.externalAccounts(of: account, as: relation)
        if let kind = call.params["object"]?.string { data = data.filter { $0.kind.rawValue == kind } }
        let page = try call.page()
        // Newest first, as Stripe lists them, with its cursors.
        var items = Array(data.reversed())
        switch page.cursor {
        case .first: break
        case .startingAfter(let cursor):
            guard let index = items.firstIndex(where: { $0.id == cursor }) else {
                throw JunctionError.noSuch("external account", cursor, param: "starting_after")
            }
            items = Array(items[(index + 1)...])
        case .endingBefore(let cursor):
            guard let index = items.firstIndex(where: { $0.id == cursor }) else {
                throw JunctionError.noSuch("external account", cursor, param: "ending_before")
            }
            items = Array(items[..<index].suffix(page.limit))
        }
        var list = ListEnvelope.list(
            Page(
                items: Array(items.prefix(page.limit)).map { $0.rendered(account: id) },
                hasMore: items.count > page.limit),
            url: "/v1/accounts/\(id)/external_accounts")
        list["total_count"] = .int(data.count)
        return APIResult(body: list)
    }

    @Sendable func createExternalAccount(_ call: APICall) async throws -> APIResult {
        let id = try call.path()
        let (_, relation) = try await account(id, call)
        guard let value = call.params["external_account"].map(CommonParams.json) else {
            throw JunctionError.invalid("Missing required param: external_account.", param: "external_account")
        }
        return APIResult(
            body: try await accounts.addExternalAccount(
                id, value, defaultForCurrency: call.params["default_for_currency"]?.boolean == true,
                metadata: call.params["metadata"]?.object?.compactMapValues(\.string) ?? [:], as: relation,
                request: call.requestInfo))
    }

    @Sendable func retrieveExternalAccount(_ call: APICall) async throws -> APIResult {
        let id = try call.path()
        let (account, relation) = try await account(id, call)
        return APIResult(
            body: try accounts.externalAccount(id, try call.path("external"), of: account, as: relation))
    }

    @Sendable func updateExternalAccount(_ call: APICall) async throws -> APIResult {
        let id = try call.path()
        let (_, relation) = try await account(id, call)
        let params = call.params
        var metadata: [String: String?]?
        if let object = params["metadata"]?.object {
            metadata = object.mapValues { $0.string.flatMap { $0.isEmpty ? nil : $0 } }
        }
        let patch = ExternalAccountPatch(
            defaultForCurrency: params["default_for_currency"]?.boolean, metadata: metadata,
            accountHolderName: params["account_holder_name"]?.string,
            accountHolderType: params["account_holder_type"]?.string, expMonth: params["exp_month"]?.integer,
            expYear: params["exp_year"]?.integer, name: params["name"]?.string)
        return APIResult(
            body: try await accounts.updateExternalAccount(
                id, try call.path("external"), patch: patch, as: relation, request: call.requestInfo))
    }

    @Sendable func deleteExternalAccount(_ call: APICall) async throws -> APIResult {
        let id = try call.path()
        let (_, relation) = try await account(id, call)
        return APIResult(
            body: try await accounts.deleteExternalAccount(
                id, try call.path("external"), as: relation, request: call.requestInfo))
    }

    @Sendable func createPerson(_ call: APICall) async throws -> APIResult {
        let id = try call.path()
        let (_, relation) = try await account(id, call)
        return APIResult(
            body: try await accounts.createPerson(
                id, AccountParams.personChange(call), as: relation, request: call.requestInfo))
    }

    @Sendable func updatePerson(_ call: APICall) async throws -> APIResult {
        let id = try call.path()
        let (_, relation) = try await account(id, call)
        return APIResult(
            body: try await accounts.updatePerson(
                id, try call.path("person"), AccountParams.personChange(call), as: relation,
                request: call.requestInfo))
    }

    @Sendable func deletePerson(_ call: APICall) async throws -> APIResult {
        let id = try call.path()
        let (_, relation) = try await account(id, call)
        return APIResult(
            body: try await accounts.deletePerson(id, try call.path("person"), as: relation, request: call.requestInfo))
    }

    @Sendable func retrievePerson(_ call: APICall) async throws -> APIResult {
        let id = try call.path()
        let personID = try call.path("person")
        let (account, relation) = try await account(id, call)
        guard
            let person = try accounts.persons(of: account, as: relation).first(where: {
                $0["id"]?.stringValue == personID
            })
        else { throw JunctionError.noSuch("person", personID) }
        return APIResult(body: person)
    }

    @Sendable func listPersons(_ call: APICall) async throws -> APIResult {
        let id = try call.path()
        let (account, relation) = try await account(id, call)
        var people = try accounts.persons(of: account, as: relation)
        if let wanted = call.params["relationship"]?.object {
            people = people.filter { person in
                wanted.allSatisfy { key, value in
                    (person["relationship"]?[key] == true) == (value.boolean ?? false)
                }
            }
        }
        // Newest first, with Stripe's cursors.
        var items = Array(people.reversed())
        let page = try call.page()
        switch page.cursor {
        case .first: break
        case .startingAfter(let cursor):
            guard let index = items.firstIndex(where: { $0["id"]?.stringValue == cursor }) else {
                throw JunctionError.noSuch("person", cursor, param: "starting_after")
            }
            items = Array(items[(index + 1)...])
        case .endingBefore(let cursor):
            guard let index = items.firstIndex(where: { $0["id"]?.stringValue == cursor }) else {
                throw JunctionError.noSuch("person", cursor, param: "ending_before")
            }
            items = Array(items[..<index].suffix(page.limit))
        }
        var list = ListEnvelope.list(
            Page(items: Array(items.prefix(page.limit)), hasMore: items.count > page.limit),
            url: "/v1/accounts/\(id)/persons")
        list["total_count"] = .int(people.count)
        return APIResult(body: list)
    }

    @Sendable func listCapabilities(_ call: APICall) async throws -> APIResult {
        let id = try call.path()
        let (account, _) = try await account(id, call)
        let data = account.capabilities.keys.sorted().map { account.renderedCapability($0) }
        return APIResult(body: ListEnvelope.list(data, url: "/v1/accounts/\(id)/capabilities"))
    }

    @Sendable func retrieveCapability(_ call: APICall) async throws -> APIResult {
        let name = try call.path("name")
        let (account, _) = try await account(try call.path(), call)
        guard Capabilities.known.contains(name) else { throw JunctionError.noSuch("capability", name) }
        return APIResult(body: account.renderedCapability(name))
    }

    @Sendable func updateCapability(_ call: APICall) async throws -> APIResult {
        let id = try call.path()
        let name = try call.path("name")
        let (_, relation) = try await account(id, call)
        guard
            let account = try await accounts.requestCapability(
                id, name, requested: call.params["requested"]?.boolean, as: relation, request: call.requestInfo)
        else { throw JunctionError.noAccess(key: call.principal.key, account: id) }
        return APIResult(body: account.renderedCapability(name))
    }

    /// `POST /v1/accounts/{id}/login_links`: opens the Express dashboard (C11).
    @Sendable func createLoginLink(_ call: APICall) async throws -> APIResult {
        let (account, relation) = try await account(try call.path(), call)
        let (token, created) = try await accounts.createLoginLink(for: account, as: relation)
        return APIResult(body: [
            "object": "login_link", "created": .int(created),
            "url": .string("\(dependencies.baseURL(for: call.request))/express/login/\(token)"),
        ])
    }

    /// `POST /v1/account_links`: onboarding or update links for an account the caller controls.
    @Sendable func createAccountLink(_ call: APICall) async throws -> APIResult {
        let id = call.params["account"]?.string ?? ""
        let (_, relation) = try await account(id, call)
        let (link, token) = try await accounts.createAccountLink(
            id, as: relation, application: call.principal.application?.id,
            type: call.params["type"]?.string.flatMap(AccountLinkType.init) ?? .accountOnboarding,
            refreshURL: call.params["refresh_url"]?.string, returnURL: call.params["return_url"]?.string)
        return APIResult(body: [
            "object": "account_link", "created": .int(link.created), "expires_at": .int(link.expiresAt),
            "url": .string("\(dependencies.baseURL(for: call.request))/connect/onboarding/\(token)"),
        ])
    }
}
