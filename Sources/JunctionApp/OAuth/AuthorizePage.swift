import ConnectModel
import Hummingbird
import JunctionDomain

/// `GET /oauth/authorize`: the page where a person connects an account to an application
/// (P2–P9, P15). Errors about the request itself are shown, never redirected.
struct AuthorizePage: Sendable {
    let dependencies: Dependencies
    var oauth: OAuthFlow { dependencies.oauth }
    var web: WebController { WebController(dependencies: dependencies) }

    func addRoutes(to router: Router<JunctionContext>) {
        router.get("/oauth/authorize", use: show)
        router.post("/oauth/authorize", use: decide)
    }

    /// The OAuth parameters carried from the page to its form.
    struct Parameters {
        var clientID: String
        var scope: String?
        var redirectURI: String?
        var state: String?
        var responseType: String?

        var hidden: [[String: String]] {
            [
                ("client_id", clientID), ("scope", scope), ("redirect_uri", redirectURI), ("state", state),
                ("response_type", responseType),
            ].compactMap { name, value in value.map { ["name": name, "value": $0] } }
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
        let signed = try await web.signedIn(request)
        guard case .success(let (session, user)) = signed else {
            // Not signed in: log in (or sign up, when the platform asks), then come back here.
            let next = request.uri.path + "?" + (request.uri.query ?? "")
            let page = value("stripe_landing") == "register" ? "/signup" : "/login"
            let email = value("stripe_user[email]").map { "&email=\(queryEscaped($0))" } ?? ""
            return .redirect("\(page)?next=\(queryEscaped(next))\(email)")
        }
        return try await render(application, parameters, session: session, user: user, error: nil)
    }

    @Sendable func decide(_ request: Request, context: JunctionContext) async throws -> Response {
        let form = try await WebSessions.form(request)
        let signed = try await web.signedIn(request)
        guard case .success(let (session, user)) = signed else { return signed.redirect }
        guard WebSessions.csrfValid(session, form) else { return WebController.forbidden() }
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
                    clientID: application.id, user: user, scope: parameters.scope, redirectURI: parameters.redirectURI,
                    state: parameters.state, allow: form["decision"] != "deny", account: choice == "new" ? nil : choice,
                    createAccount: choice == "new", shareBusinessWith: form["share_business_with"],
                    request: RequestInfo(id: context.requestID, idempotencyKey: nil)))
            return .redirect(url)
        } catch let error as JunctionError where error.isOAuth {
            return try await render(application, parameters, session: session, user: user, error: error.message)
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

    private func render(
        _ application: ConnectApplication, _ parameters: Parameters, session: WebSession, user: User, error: String?
    ) async throws -> Response {
        let offered = try await oauth.offeredAccounts(user: user.id, application: application)
        let all = try await dependencies.store.accounts(ownedBy: user.id)
        let scope = (try? ConnectionRules.scope(requested: parameters.scope, for: application, on: nil)) ?? .readOnly
        var object = WebController.base(session, user: user, title: "Connect with \(application.name)")
        object["appName"] = application.name
        object["kind"] = application.kind.rawValue
        object["kindText"] =
            application.kind == .platform
            ? "it accepts payments for you, on your account."
            : "it works with your Stripe data to give you insights or tools."
        object["scopeText"] =
            scope == .readWrite
            ? "Read and write: see your payments, customers, refunds and account details, and create payments, customers, refunds and subscriptions for you."
            : "Read only: see your payments, customers, refunds and account details. It cannot create payments or change anything."
        object["hidden"] = parameters.hidden
        object["accounts"] = offered.enumerated().map { index, account -> [String: Any] in
            [
                "id": account.id, "name": WebController.name(of: account), "country": account.country,
                "first": index == 0,
            ]
        }
        object["hasAccounts"] = !all.isEmpty
        object["allAccounts"] = all.map { ["id": $0.id, "name": WebController.name(of: $0)] }
        if let error { object["error"] = error }
        return Pages.render("authorize", object, status: error == nil ? .ok : .badRequest)
    }

    static func errorPage(_ error: JunctionError) -> Response {
        Pages.message(
            "This connection request cannot be shown", "\(error.oauthCode): \(error.message)", status: .badRequest)
    }
}
