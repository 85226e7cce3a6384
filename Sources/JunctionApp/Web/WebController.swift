import ConnectModel
import Foundation
import Hummingbird
import JunctionDomain

/// Pages for people: sign-up, log-in, the account owner's dashboard with its authorized
/// applications (C11: full-dashboard accounts), and the Express dashboard a login link opens.
struct WebController: Sendable {
    let dependencies: Dependencies
    var sessions: WebSessions { WebSessions(dependencies: dependencies) }

    func addRoutes(to router: Router<JunctionContext>) {
        router.get("/", use: home)
        router.get("/signup", use: signupPage)
        router.post("/signup", use: signup)
        router.get("/login", use: loginPage)
        router.post("/login", use: login)
        router.post("/logout", use: logout)
        router.get("/dashboard", use: dashboard)
        router.get("/dashboard/accounts/:account", use: accountPage)
        router.get("/dashboard/accounts/:account/applications", use: applicationsPage)
        router.post("/dashboard/accounts/:account/applications/:application/revoke", use: revoke)
        router.get("/dashboard/accounts/:account/webhooks", use: webhooksPage)
        router.get("/dashboard/accounts/:account/connected", use: connectedAccounts)
        router.get("/dashboard/accounts/:account/connected/:connected", use: restrictedView)
        router.get("/express/login/:token", use: expressLogin)
        router.get("/express/dashboard", use: expressDashboard)
    }

    /// What every page's header needs.
    static func base(_ session: WebSession, user: User?, title: String) -> [String: Any] {
        var object: [String: Any] = ["title": title, "csrf": session.csrf]
        if let user { object["email"] = user.email }
        return object
    }

    @Sendable func home(_ request: Request, context: JunctionContext) async throws -> Response {
        .redirect(try await sessions.current(request)?.user != nil ? "/dashboard" : "/login")
    }

    // MARK: Sign-up and log-in

    @Sendable func signupPage(_ request: Request, context: JunctionContext) async throws -> Response {
        try await credentialsPage("signup", request, title: "Create your login")
    }

    @Sendable func loginPage(_ request: Request, context: JunctionContext) async throws -> Response {
        try await credentialsPage("login", request, title: "Log in")
    }

    private func credentialsPage(
        _ template: String, _ request: Request, title: String, error: String? = nil, email: String? = nil
    )
        async throws -> Response
    {
        let (session, cookie) = try await sessions.ensure(request)
        let next = WebSessions.safeNext(request.uri.queryParameters["next"].map(String.init)) ?? "/dashboard"
        var object = Self.base(session, user: nil, title: title)
        object["next"] = next
        object["nextEscaped"] = queryEscaped(next)
        object["prefillEmail"] = email ?? request.uri.queryParameters["email"].map(String.init) ?? ""
        if let error { object["error"] = error }
        return Pages.render(template, object, status: error == nil ? .ok : .badRequest).settingCookie(cookie)
    }

    @Sendable func signup(_ request: Request, context: JunctionContext) async throws -> Response {
        let form = try await WebSessions.form(request)
        guard let session = try await sessions.current(request), WebSessions.csrfValid(session, form) else {
            return Self.forbidden()
        }
        let email = form["email"] ?? ""
        let user: User
        do {
            user = try await dependencies.registration.createUser(email: email, password: form["password"] ?? "")
        } catch let refusal as JunctionError {
            let message =
                refusal.kind == .conflict ? "A login with this email already exists. Log in instead." : refusal.message
            return try await credentialsPage(
                "signup", request, title: "Create your login", error: message, email: email)
        }
        return try await signIn(user, replacing: session, next: form["next"])
    }

    @Sendable func login(_ request: Request, context: JunctionContext) async throws -> Response {
        let form = try await WebSessions.form(request)
        guard let session = try await sessions.current(request), WebSessions.csrfValid(session, form) else {
            return Self.forbidden()
        }
        let email = (form["email"] ?? "").trimmingCharacters(in: .whitespaces)
        guard let user = try await dependencies.registration.signIn(email: email, password: form["password"] ?? "")
        else {
            return try await credentialsPage(
                "login", request, title: "Log in", error: "Wrong email or password.", email: email)
        }
        return try await signIn(user, replacing: session, next: form["next"])
    }

    /// A new session for the person: the old token is never reused after signing in.
    private func signIn(_ user: User, replacing old: WebSession, next: String?) async throws -> Response {
        try await sessions.end(old)
        let (_, cookie) = try await sessions.start(user: user.id, account: nil)
        return .redirect(WebSessions.safeNext(next) ?? "/dashboard", setCookie: cookie)
    }

    @Sendable func logout(_ request: Request, context: JunctionContext) async throws -> Response {
        let form = try await WebSessions.form(request)
        guard let session = try await sessions.current(request), WebSessions.csrfValid(session, form) else {
            return Self.forbidden()
        }
        try await sessions.end(session)
        return .redirect("/login", setCookie: WebSessions.clearCookie)
    }

    // MARK: Dashboard

    /// The signed-in person and their session, or a redirect to log in.
    func signedIn(_ request: Request) async throws -> Result<(WebSession, User), RedirectToLogin> {
        guard let session = try await sessions.current(request), let userID = session.user,
            let user = try await dependencies.store.user(userID)
        else {
            let next = request.uri.path + (request.uri.query.map { "?\($0)" } ?? "")
            return .failure(RedirectToLogin(location: "/login?next=\(queryEscaped(next))"))
        }
        return .success((session, user))
    }

    @Sendable func dashboard(_ request: Request, context: JunctionContext) async throws -> Response {
        let signed = try await signedIn(request)
        guard case .success(let (session, user)) = signed else { return signed.redirect }
        let accounts = try await dependencies.store.accounts(ownedBy: user.id)
        var object = Self.base(session, user: user, title: "Your accounts")
        object["hasAccounts"] = !accounts.isEmpty
        object["accounts"] = accounts.map { account -> [String: Any] in
            [
                "id": account.id, "name": Self.name(of: account), "dashboard": account.controller.dashboard.rawValue,
                "full": account.controller.dashboard == .full,
                "reason": account.controller.dashboard == .express
                    ? "Opened through a login link from its platform" : "No dashboard: its platform manages it",
            ]
        }
        return Pages.render("dashboard", object)
    }

    /// The account of the route, when the signed-in person owns it and it has the full dashboard (C11).
    private func ownedAccount(_ context: JunctionContext, user: User) async throws -> Account? {
        let id = try context.parameters.require("account")
        guard let account = try await dependencies.store.account(id), account.ownerUser == user.id,
            account.controller.dashboard == .full
        else { return nil }
        return account
    }

    @Sendable func accountPage(_ request: Request, context: JunctionContext) async throws -> Response {
        let signed = try await signedIn(request)
        guard case .success(let (session, user)) = signed else { return signed.redirect }
        guard let account = try await ownedAccount(context, user: user) else { return Self.notFound(session, user) }
        var object = Self.base(session, user: user, title: Self.name(of: account))
        object["id"] = account.id
        object["name"] = Self.name(of: account)
        object["country"] = account.country
        object["charges"] = account.chargesEnabled ? "Enabled" : "Not enabled"
        object["payoutSchedule"] = Self.payoutSchedule(account)
        if let platform = account.controllingApplication {
            object["controlledBy"] =
                (try await dependencies.store.application(platform)?.name ?? platform) + " (platform controls)"
        } else {
            object["controlledBy"] = "You"
        }
        if let application = try await dependencies.store.application(ownedBy: account.id) {
            object["application"] = application.name
        }
        return Pages.render("account", object)
    }

    @Sendable func applicationsPage(_ request: Request, context: JunctionContext) async throws -> Response {
        let signed = try await signedIn(request)
        guard case .success(let (session, user)) = signed else { return signed.redirect }
        guard let account = try await ownedAccount(context, user: user) else { return Self.notFound(session, user) }
        let query = request.uri.queryParameters
        return try await applications(
            account, session: session, user: user,
            notice: query["revoked"].map { "Access of \($0) was revoked." }, error: nil)
    }

    private func applications(_ account: Account, session: WebSession, user: User, notice: String?, error: String?)
        async throws -> Response
    {
        var object = Self.base(session, user: user, title: "Authorized applications")
        object["id"] = account.id
        object["name"] = Self.name(of: account)
        if let notice { object["notice"] = notice }
        if let error { object["error"] = error }
        let connections = try await dependencies.store.connections(ofAccount: account.id)
        object["hasEntries"] = !connections.isEmpty
        object["entries"] = connections.map { connection, application -> [String: Any] in
            let controls = connection.isPlatform && account.controllingApplication == application.id
            return [
                "appID": application.id, "appName": application.name, "kind": application.kind.rawValue.capitalized,
                "scope": connection.scope == .readWrite ? "Read and write" : "Read only",
                "since": humanDate(connection.created),
                "controls": controls ? "On" : "Off", "legacy": connection.legacy, "accountID": account.id,
                "csrf": session.csrf,
                "revocable": ConnectionRules.mayRevoke(connection, on: account),
                "reason":
                    "\(application.name) created this account and manages it for you (platform controls), so its access cannot be revoked.",
            ]
        }
        return Pages.render("applications", object, status: error == nil ? .ok : .badRequest)
    }

    /// P11 from the page: revoke an extension, or a platform that does not control the account.
    @Sendable func revoke(_ request: Request, context: JunctionContext) async throws -> Response {
        let form = try await WebSessions.form(request)
        let signed = try await signedIn(request)
        guard case .success(let (session, user)) = signed else { return signed.redirect }
        guard WebSessions.csrfValid(session, form) else { return Self.forbidden() }
        guard let account = try await ownedAccount(context, user: user) else { return Self.notFound(session, user) }
        let applicationID = try context.parameters.require("application")
        do {
            let (_, application) = try await dependencies.oauth.revoke(
                application: applicationID, account: account.id,
                request: RequestInfo(id: context.requestID, idempotencyKey: nil))
            return .redirect("/dashboard/accounts/\(account.id)/applications?revoked=\(queryEscaped(application.name))")
        } catch let error as JunctionError {
            return try await applications(account, session: session, user: user, notice: nil, error: error.message)
        }
    }

    // MARK: Webhooks (E2)

    /// The account's webhook endpoints and the latest delivery attempts to them: status, response
    /// code or error, and when the next retry is due.
    @Sendable func webhooksPage(_ request: Request, context: JunctionContext) async throws -> Response {
        let signed = try await signedIn(request)
        guard case .success(let (session, user)) = signed else { return signed.redirect }
        guard let account = try await ownedAccount(context, user: user) else { return Self.notFound(session, user) }
        let store = dependencies.store
        let endpoints = try await dependencies.objects.list(
            .webhookEndpoint, account: account.id, page: PageRequest(limit: 100)
        ).items
        let deliveries = try await store.deliveries(event: nil, endpoint: nil, owner: account.id, limit: 100)
        let urls = Dictionary(
            endpoints.map { ($0.id, $0.document["url"]?.stringValue ?? $0.id) }, uniquingKeysWith: { a, _ in a })
        var object = Self.base(session, user: user, title: "Webhooks")
        object["id"] = account.id
        object["name"] = Self.name(of: account)
        object["hasEndpoints"] = !endpoints.isEmpty
        object["endpoints"] = endpoints.map { endpoint -> [String: Any] in
            let document = endpoint.document
            let events = document["enabled_events"]?.arrayItems?.compactMap(\.stringValue) ?? []
            return [
                "id": endpoint.id, "url": document["url"]?.stringValue ?? "",
                "events": events == ["*"] ? "All events" : events.joined(separator: ", "),
                "scope": WebhookTarget(endpoint)?.scope == .connect ? "Connected accounts" : "This account",
                "status": endpoint.statusValue?.capitalized ?? "",
            ]
        }
        object["hasDeliveries"] = !deliveries.isEmpty
        object["deliveries"] = deliveries.map { delivery -> [String: Any] in
            let response: String =
                if let code = delivery.lastStatus { "HTTP \(code)" } else if let error = delivery.lastError {
                    error
                } else { "—" }
            return [
                "id": delivery.id, "event": delivery.event, "type": delivery.eventType ?? "",
                "endpoint": urls[delivery.endpoint] ?? "junction listen (\(delivery.endpoint))",
                "status": delivery.status.rawValue.capitalized, "attempts": delivery.attempts, "response": response,
                "nextRetry": delivery.status == .pending ? delivery.nextAttemptAt.map(humanDate) ?? "—" : "—",
                "date": humanDate(delivery.created),
            ]
        }
        return Pages.render("webhooks", object)
    }

    // MARK: The platform's restricted view (A7)

    /// The platform account of the route (owned by the signed-in person) and its application.
    private func platform(_ context: JunctionContext, user: User) async throws -> (Account, ConnectApplication)? {
        guard let account = try await ownedAccount(context, user: user),
            let application = try await dependencies.store.application(ownedBy: account.id)
        else { return nil }
        return (account, application)
    }

    @Sendable func connectedAccounts(_ request: Request, context: JunctionContext) async throws -> Response {
        let signed = try await signedIn(request)
        guard case .success(let (session, user)) = signed else { return signed.redirect }
        guard let (account, application) = try await platform(context, user: user) else {
            return Self.notFound(session, user)
        }
        let connected = try await dependencies.store.connectedAccounts(
            of: application.id, page: PageRequest(limit: 100))
        var object = Self.base(session, user: user, title: "Accounts connected to \(application.name)")
        object["application"] = application.name
        object["hasAccounts"] = !connected.items.isEmpty
        object["accounts"] = connected.items.map { connected -> [String: Any] in
            [
                "id": connected.id, "name": Self.name(of: connected), "type": connected.type.rawValue,
                "platformAccount": account.id,
            ]
        }
        return Pages.render("connected", object)
    }

    /// A7: payments, refunds and customers of an account connected to the platform; read-only,
    /// no settings, no card numbers (only brand and last 4), nothing of other accounts.
    @Sendable func restrictedView(_ request: Request, context: JunctionContext) async throws -> Response {
        let signed = try await signedIn(request)
        guard case .success(let (session, user)) = signed else { return signed.redirect }
        guard let (_, application) = try await platform(context, user: user) else {
            return Self.notFound(session, user)
        }
        let connectedID = try context.parameters.require("connected")
        guard try await dependencies.store.activeConnection(application: application.id, account: connectedID) != nil,
            let connected = try await dependencies.store.account(connectedID)
        else { return Self.notFound(session, user) }
        let store = dependencies.store
        let objects = dependencies.objects
        func recent(_ resource: Resource) async throws -> [StoredObject] {
            try await objects.list(resource, account: connectedID, page: PageRequest(limit: 50)).items
        }
        let charges = try await recent(.charge)
        let refunds = try await recent(.refund)
        let customers = try await recent(.customer)
        var object = Self.base(session, user: user, title: Self.name(of: connected))
        object["id"] = connected.id
        object["name"] = Self.name(of: connected)
        object["application"] = application.name
        object["hasCharges"] = !charges.isEmpty
        object["charges"] = charges.map { charge -> [String: Any] in
            let document = charge.publicDocument
            let card = document["payment_method_details"]?["card"]
            return [
                "id": charge.id,
                "amount": Self.money(document["amount"]?.integerValue, document["currency"]?.stringValue),
                "status": document["status"]?.stringValue ?? "", "date": humanDate(charge.created),
                "card":
                    "\(card?["brand"]?.stringValue?.capitalized ?? "Card") •••• \(card?["last4"]?.stringValue ?? "")",
                "refunded": Self.money(document["amount_refunded"]?.integerValue, document["currency"]?.stringValue),
            ]
        }
        object["hasRefunds"] = !refunds.isEmpty
        object["refunds"] = refunds.map { refund -> [String: Any] in
            let document = refund.publicDocument
            return [
                "id": refund.id,
                "amount": Self.money(document["amount"]?.integerValue, document["currency"]?.stringValue),
                "charge": document["charge"]?.stringValue ?? "", "status": document["status"]?.stringValue ?? "",
                "date": humanDate(refund.created),
            ]
        }
        object["hasCustomers"] = !customers.isEmpty
        object["customers"] = customers.map { customer -> [String: Any] in
            [
                "id": customer.id, "name": customer.document["name"]?.stringValue ?? "—",
                "email": customer.document["email"]?.stringValue ?? "—", "date": humanDate(customer.created),
            ]
        }
        return Pages.render("restricted", object)
    }

    /// An amount in minor units as people read it: `12.34 USD` (`1234 JPY` for zero-decimal currencies).
    static func money(_ amount: Int?, _ currency: String?) -> String {
        let amount = amount ?? 0
        let code = (currency ?? "usd").uppercased()
        if ["JPY", "KRW", "VND", "CLP", "HUF"].contains(code) { return "\(amount) \(code)" }
        let sign = amount < 0 ? "-" : ""
        let value = abs(amount)
        return "\(sign)\(value / 100).\(String(format: "%02d", value % 100)) \(code)"
    }

    // MARK: Express dashboard

    /// A login link (C11): single use, short-lived, opens the reduced dashboard of one account.
    @Sendable func expressLogin(_ request: Request, context: JunctionContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard
            let accountID = try await dependencies.accounts.useLoginLink(token)
        else {
            return Pages.render(
                "message",
                [
                    "title": "Login link expired",
                    "message":
                        "This login link was already used or has expired. Open the dashboard again from your platform.",
                ],
                status: .gone)
        }
        if let old = try await sessions.current(request) { try await sessions.end(old) }
        let (_, cookie) = try await sessions.start(user: nil, account: accountID)
        return .redirect("/express/dashboard", setCookie: cookie)
    }

    @Sendable func expressDashboard(_ request: Request, context: JunctionContext) async throws -> Response {
        guard let session = try await sessions.current(request), let accountID = session.account,
            let account = try await dependencies.store.account(accountID), account.controller.dashboard == .express
        else {
            return Pages.render(
                "message",
                [
                    "title": "Not signed in",
                    "message": "The Express dashboard opens from a login link your platform gives you.",
                ],
                status: .unauthorized)
        }
        var object = Self.base(session, user: nil, title: Self.name(of: account))
        object["id"] = account.id
        object["name"] = Self.name(of: account)
        object["platform"] =
            try await account.controllingApplication.asyncMap { try await dependencies.store.application($0)?.name }
            ?? "your platform"
        object["charges"] = account.chargesEnabled ? "Enabled" : "Not enabled"
        object["payouts"] = account.payoutsEnabled ? "Enabled" : "Not enabled"
        object["payoutSchedule"] = Self.payoutSchedule(account)
        object["emailText"] = account.email ?? "—"
        return Pages.render("express", object)
    }

    // MARK: Helpers

    static func name(of account: Account) -> String { account.displayName }

    static func payoutSchedule(_ account: Account) -> String {
        let interval = account.settings.value(at: "payouts.schedule.interval")?.stringValue ?? "daily"
        if case .int(let days)? = account.settings.value(at: "payouts.schedule.delay_days") {
            return "\(interval.capitalized), \(days) days after a payment"
        }
        return interval.capitalized
    }

    static func forbidden() -> Response {
        Pages.render(
            "message",
            [
                "title": "Form expired",
                "message":
                    "This form is no longer valid (its security token did not match). Go back, reload the page and try again.",
            ],
            status: .forbidden)
    }

    static func notFound(_ session: WebSession, _ user: User) -> Response {
        var object = base(session, user: user, title: "Not found")
        object["message"] = "There is no such account among yours, or it has no dashboard."
        object["link"] = "/dashboard"
        object["linkText"] = "Back to your accounts"
        return Pages.render("message", object, status: .notFound)
    }
}

/// Where an anonymous visitor of a signed-in page is sent.
struct RedirectToLogin: Error {
    var location: String
}

extension Result where Failure == RedirectToLogin {
    var redirect: Response {
        if case .failure(let r) = self { return .redirect(r.location) }
        return .redirect("/dashboard")
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
