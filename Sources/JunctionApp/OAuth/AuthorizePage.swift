import ConnectModel
import Hummingbird
import JunctionDomain

/// `GET /oauth/authorize`: the page where a person connects an account to an application
/// (P2–P9, P15). Errors about the request itself are shown, never redirected.
struct AuthorizePage: Sendable {
    let dependencies: Dependencies
    var oauth: OAuthFlow { dependencies.oauth }

    /// The page shows itself to anyone (it sends a visitor to log in or sign up, as the platform
    /// asks); deciding needs a signed-in person.
    func addRoutes(pages: RouterGroup<JunctionContext>, signedIn: RouterGroup<JunctionContext>) {
        pages.get("/oauth/authorize", use: show)
        signedIn.post("/oauth/authorize", use: decide)
    }

    /// The OAuth parameters carried from the page to its form.
    struct Parameters {
        var clientID: String
        var scope: String?
        var redirectURI: String?
        var state: String?
        var responseType: String?

        var hidden: [AuthorizeView.Hidden] {
            [
                ("client_id", clientID), ("scope", scope), ("redirect_uri", redirectURI), ("state", state),
                ("response_type", responseType),
            ].compactMap { name, value in value.map { AuthorizeView.Hidden(name: name, value: $0) } }
        }
    }

    @Sendable func show(_ request: Request, context: JunctionContext) async throws -> Response {
        let query = request.uri.queryParameters
        func value(_ name: String) -> String? { query[Substring(name)].map(String.init) }
        let parameters = Parameters(
            clientID: value("client_id") ?? "", scope: value("scope"), redirectURI: value("redirect_uri"),
            state: value("state"), responseType: value("response_type"))
        let application: ConnectApplication
        do {
            application = try await validate(parameters)
        } catch let error as JunctionError where error.isOAuth {
            return Self.errorPage(error)
        }
        guard let me = context.identity else {
            // Not signed in: log in (or sign up, when the platform asks), then come back here.
            let next = request.uri.path + "?" + (request.uri.query ?? "")
            let page = value("stripe_landing") == "register" ? "/signup" : "/login"
            let email = value("stripe_user[email]").map { "&email=\(queryEscaped($0))" } ?? ""
            return .redirect("\(page)?next=\(queryEscaped(next))\(email)")
        }
        return try await render(application, parameters, me, error: nil)
    }

    @Sendable func decide(_ request: Request, context: JunctionContext) async throws -> Response {
        let me = try context.signedIn()
        guard let form = try await WebSessions(dependencies: dependencies).form(request, session: me.session) else {
            return Pages.forbidden()
        }
        let parameters = Parameters(
            clientID: form["client_id"] ?? "", scope: form["scope"], redirectURI: form["redirect_uri"],
            state: form["state"],
            responseType: form["response_type"])
        let application: ConnectApplication
        do {
            application = try await validate(parameters)
        } catch let error as JunctionError where error.isOAuth {
            return Self.errorPage(error)
        }
        let choice = form["account"] ?? ""
        do {
            let url = try await oauth.authorize(
                AuthorizeDecision(
                    clientID: application.id, user: me.user, scope: parameters.scope,
                    redirectURI: parameters.redirectURI,
                    state: parameters.state, allow: form["decision"] != "deny", account: choice == "new" ? nil : choice,
                    createAccount: choice == "new", shareBusinessWith: form["share_business_with"],
                    request: RequestInfo(id: context.requestID, idempotencyKey: nil)))
            return .redirect(url)
        } catch let error as JunctionError where error.isOAuth {
            return try await render(application, parameters, me, error: error.message)
        }
    }

    /// The checks that make a request unshowable: unknown client, wrong response type, an
    /// unregistered redirect URI, a scope the application cannot have.
    private func validate(_ parameters: Parameters) async throws -> ConnectApplication {
        if let type = parameters.responseType, type != "code" {
            throw JunctionError.oauth(
                "unsupported_response_type", "Unsupported response_type '\(type)': the only value is code.")
        }
        let application = try await oauth.application(parameters.clientID)
        _ = try oauth.redirectURI(parameters.redirectURI, for: application)
        _ = try ConnectionRules.scope(requested: parameters.scope, for: application, on: nil)
        return application
    }

    private func render(_ application: ConnectApplication, _ parameters: Parameters, _ me: SignedIn, error: String?)
        async throws -> Response
    {
        let offered = try await oauth.offeredAccounts(user: me.user.id, application: application)
        let all = try await dependencies.store.accounts(ownedBy: me.user.id)
        let scope = (try? ConnectionRules.scope(requested: parameters.scope, for: application, on: nil)) ?? .readOnly
        let view = AuthorizeView(
            appName: application.name, kind: application.kind.rawValue,
            kindText: application.kind == .platform
                ? "it accepts payments for you, on your account."
                : "it works with your Stripe data to give you insights or tools.",
            scopeText: scope == .readWrite
                ? "Read and write: see your payments, customers, refunds and account details, and create payments, customers, refunds and subscriptions for you."
                : "Read only: see your payments, customers, refunds and account details. It cannot create payments or change anything.",
            hidden: parameters.hidden,
            accounts: offered.enumerated().map { index, account in
                AuthorizeView.Choice(
                    id: account.id, name: account.displayName, country: account.country, first: index == 0)
            },
            hasAccounts: !all.isEmpty,
            allAccounts: all.map {
                AuthorizeView.Choice(id: $0.id, name: $0.displayName, country: $0.country, first: false)
            },
            error: error)
        return Pages.render(
            "authorize", me.page("Connect with \(application.name)", view), status: error == nil ? .ok : .badRequest)
    }

    static func errorPage(_ error: JunctionError) -> Response {
        Pages.message(
            "This connection request cannot be shown", "\(error.oauthCode): \(error.message)", status: .badRequest)
    }
}

/// The authorize page: who asks, for what, and which account to connect.
struct AuthorizeView: Sendable {
    struct Hidden: Sendable {
        var name, value: String
    }
    struct Choice: Sendable {
        var id, name, country: String
        var first: Bool
    }
    var appName, kind, kindText, scopeText: String
    var hidden: [Hidden]
    var accounts: [Choice]
    var hasAccounts: Bool
    var allAccounts: [Choice]
    var error: String?
}
