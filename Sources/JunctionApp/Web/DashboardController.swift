import ConnectModel
import Hummingbird
import JunctionDomain

/// The account owner's dashboard (C11: full-dashboard accounts): their accounts, one account,
/// its authorized applications with revocation (P11), and its webhooks (E2). Every route is in
/// the signed-in group, so `context.identity` is set.
struct DashboardController: Sendable {
    let dependencies: Dependencies

    func addRoutes(to signedIn: RouterGroup<JunctionContext>) {
        signedIn.get("/dashboard", use: dashboard)
        signedIn.get("/dashboard/accounts/:account", use: accountPage)
        signedIn.get("/dashboard/accounts/:account/applications", use: applicationsPage)
        signedIn.post("/dashboard/accounts/:account/applications/:application/revoke", use: revoke)
        signedIn.get("/dashboard/accounts/:account/webhooks", use: webhooksPage)
    }

    @Sendable func dashboard(_ request: Request, context: JunctionContext) async throws -> Response {
        let me = try context.signedIn()
        let accounts = try await dependencies.store.accounts(ownedBy: me.user.id)
        let rows = accounts.map { account in
            DashboardView.Row(
                id: account.id, name: account.displayName, dashboard: account.controller.dashboard.rawValue,
                full: account.controller.dashboard == .full,
                reason: account.controller.dashboard == .express
                    ? "Opened through a login link from its platform" : "No dashboard: its platform manages it")
        }
        return Pages.render(
            "dashboard", me.page("Your accounts", DashboardView(hasAccounts: !rows.isEmpty, accounts: rows)))
    }

    @Sendable func accountPage(_ request: Request, context: JunctionContext) async throws -> Response {
        let me = try context.signedIn()
        let account = try await ownedAccount(context, me)
        let store = dependencies.store
        var controlledBy = "You"
        if let platform = account.controllingApplication {
            controlledBy = (try await store.application(platform)?.name ?? platform) + " (platform controls)"
        }
        let view = AccountView(
            id: account.id, name: account.displayName, country: account.country,
            controlledBy: controlledBy, charges: account.chargesEnabled ? "Enabled" : "Not enabled",
            payoutSchedule: account.humanPayoutSchedule,
            application: try await store.application(ownedBy: account.id)?.name)
        return Pages.render("account", me.page(account.displayName, view))
    }

    @Sendable func applicationsPage(_ request: Request, context: JunctionContext) async throws -> Response {
        let me = try context.signedIn()
        let account = try await ownedAccount(context, me)
        let revoked = request.uri.queryParameters["revoked"].map { "Access of \($0) was revoked." }
        return try await applications(account, me, notice: revoked, error: nil)
    }

    private func applications(_ account: Account, _ me: SignedIn, notice: String?, error: String?) async throws
        -> Response
    {
        let connections = try await dependencies.store.connections(ofAccount: account.id)
        let entries = connections.map { connection, application in
            let controls = connection.isPlatform && account.controllingApplication == application.id
            return ApplicationsView.Entry(
                accountID: account.id, appID: application.id, appName: application.name,
                kind: application.kind.rawValue.capitalized,
                scope: connection.scope == .readWrite ? "Read and write" : "Read only",
                since: humanDate(connection.created), controls: controls ? "On" : "Off", legacy: connection.legacy,
                revocable: ConnectionRules.mayRevoke(connection, on: account),
                reason:
                    "\(application.name) created this account and manages it for you (platform controls), so its access cannot be revoked."
            )
        }
        let view = ApplicationsView(
            id: account.id, name: account.displayName, notice: notice, error: error, hasEntries: !entries.isEmpty,
            entries: entries)
        return Pages.render(
            "applications", me.page("Authorized applications", view), status: error == nil ? .ok : .badRequest)
    }

    /// P11 from the page: revoke an extension, or a platform that does not control the account.
    @Sendable func revoke(_ request: Request, context: JunctionContext) async throws -> Response {
        let me = try context.signedIn()
        guard try await WebSessions(dependencies: dependencies).form(request, session: me.session) != nil else {
            return Pages.forbidden()
        }
        let account = try await ownedAccount(context, me)
        let applicationID = try context.parameters.require("application")
        do {
            let (_, application) = try await dependencies.oauth.revoke(
                application: applicationID, account: account.id,
                request: RequestInfo(id: context.requestID, idempotencyKey: nil))
            return .redirect("/dashboard/accounts/\(account.id)/applications?revoked=\(queryEscaped(application.name))")
        } catch let refusal as JunctionError where refusal.kind != .internal {
            return try await applications(account, me, notice: nil, error: refusal.message)
        }
    }

    /// The account's webhook endpoints and the latest delivery attempts to them: status, response
    /// code or error, and when the next retry is due.
    @Sendable func webhooksPage(_ request: Request, context: JunctionContext) async throws -> Response {
        let me = try context.signedIn()
        let account = try await ownedAccount(context, me)
        let endpoints = try await dependencies.objects.list(
            .webhookEndpoint, account: account.id, page: PageRequest(limit: 100)
        ).items
        let deliveries = try await dependencies.store.deliveries(
            event: nil, endpoint: nil, owner: account.id, limit: 100)
        let urls = Dictionary(
            endpoints.map { ($0.id, $0.document["url"]?.stringValue ?? $0.id) }, uniquingKeysWith: { first, _ in first }
        )
        let endpointRows = endpoints.map { endpoint in
            let events = endpoint.document["enabled_events"]?.arrayItems?.compactMap(\.stringValue) ?? []
            return WebhooksView.Endpoint(
                id: endpoint.id, url: endpoint.document["url"]?.stringValue ?? "",
                events: events == ["*"] ? "All events" : events.joined(separator: ", "),
                scope: WebhookTarget(endpoint)?.scope == .connect ? "Connected accounts" : "This account",
                status: endpoint.statusValue?.capitalized ?? "")
        }
        let deliveryRows = deliveries.map { delivery in
            let response: String =
                if let code = delivery.lastStatus { "HTTP \(code)" } else { delivery.lastError ?? "—" }
            return WebhooksView.Delivery(
                id: delivery.id, event: delivery.event, type: delivery.eventType ?? "",
                endpoint: urls[delivery.endpoint] ?? "junction listen (\(delivery.endpoint))",
                status: delivery.status.rawValue.capitalized, attempts: delivery.attempts, response: response,
                nextRetry: delivery.status == .pending ? delivery.nextAttemptAt.map(humanDate) ?? "—" : "—",
                date: humanDate(delivery.created))
        }
        let view = WebhooksView(
            id: account.id, name: account.displayName, hasEndpoints: !endpointRows.isEmpty, endpoints: endpointRows,
            hasDeliveries: !deliveryRows.isEmpty, deliveries: deliveryRows)
        return Pages.render("webhooks", me.page("Webhooks", view))
    }

    /// The account of the route, when the signed-in person owns it and it has the full dashboard
    /// (C11); otherwise a 404 page.
    func ownedAccount(_ context: JunctionContext, _ me: SignedIn) async throws -> Account {
        let id = try context.parameters.require("account")
        guard let account = try await dependencies.store.account(id), account.ownerUser == me.user.id,
            account.controller.dashboard == .full
        else { throw PageNotFound.account }
        return account
    }
}

extension JunctionContext {
    /// The signed-in person; routes of the signed-in group always have one (``RequireSignIn``).
    func signedIn() throws -> SignedIn {
        guard let identity else { throw JunctionError(.authentication, message: "Log in to see this page.") }
        return identity
    }
}

/// A page of the dashboard that is not the signed-in person's to see, shown as not found.
enum PageNotFound: Error {
    case account
}

/// The list of the person's accounts.
struct DashboardView: Sendable {
    struct Row: Sendable {
        var id, name, dashboard: String
        var full: Bool
        var reason: String
    }
    var hasAccounts: Bool
    var accounts: [Row]
}

/// One account of the person.
struct AccountView: Sendable {
    var id, name, country, controlledBy, charges, payoutSchedule: String
    /// The name of the application the account owns, if it is a platform or extension.
    var application: String?
}

/// The applications connected to an account (P11).
struct ApplicationsView: Sendable {
    struct Entry: Sendable {
        var accountID, appID, appName, kind, scope, since, controls: String
        var legacy: Bool
        var revocable: Bool
        var reason: String
    }
    var id, name: String
    var notice, error: String?
    var hasEntries: Bool
    var entries: [Entry]
}

/// An account's webhook endpoints and delivery attempts (E2).
struct WebhooksView: Sendable {
    struct Endpoint: Sendable {
        var id, url, events, scope, status: String
    }
    struct Delivery: Sendable {
        var id, event, type, endpoint, status: String
        var attempts: Int
        var response, nextRetry, date: String
    }
    var id, name: String
    var hasEndpoints: Bool
    var endpoints: [Endpoint]
    var hasDeliveries: Bool
    var deliveries: [Delivery]
}
