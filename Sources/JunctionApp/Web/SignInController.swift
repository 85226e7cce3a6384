import ConnectModel
import Foundation
import HTTPTypes
import Hummingbird

/// Sign-up, log-in and log-out.
struct SignInController: Sendable {
    let dependencies: Dependencies
    var sessions: WebSessions { WebSessions(dependencies: dependencies) }

    func addRoutes(to pages: RouterGroup<JunctionContext>) {
        pages.get("/", use: home)
        pages.get("/signup", use: signupPage)
        pages.post("/signup", use: signup)
        pages.get("/login", use: loginPage)
        pages.post("/login", use: login)
        pages.post("/logout", use: logout)
    }

    @Sendable func home(_ request: Request, context: JunctionContext) async throws -> Response {
        .redirect(context.identity != nil ? "/dashboard" : "/login")
    }

    @Sendable func signupPage(_ request: Request, context: JunctionContext) async throws -> Response {
        try await credentialsPage("signup", request, title: "Create your login")
    }

    @Sendable func loginPage(_ request: Request, context: JunctionContext) async throws -> Response {
        try await credentialsPage("login", request, title: "Log in")
    }

    private func credentialsPage(
        _ template: String, _ request: Request, title: String, error: String? = nil, email: String? = nil
    ) async throws -> Response {
        let (session, cookie) = try await sessions.ensure(request)
        let next = WebSessions.safeNext(request.uri.queryParameters["next"].map(String.init)) ?? "/dashboard"
        let view = CredentialsView(
            next: next, nextEscaped: queryEscaped(next),
            prefillEmail: email ?? request.uri.queryParameters["email"].map(String.init) ?? "", error: error)
        return Pages.render(
            template, PageContext(title: title, csrf: session.csrf, view: view),
            status: error == nil ? .ok : .badRequest
        ).settingCookie(cookie)
    }

    @Sendable func signup(_ request: Request, context: JunctionContext) async throws -> Response {
        let session = try await sessions.current(request)
        guard let form = try await sessions.form(request, session: session), let session else {
            return Pages.forbidden()
        }
        let email = form["email"] ?? ""
        let password = form["password"] ?? ""
        let user: User
        do {
            user = try await dependencies.registration.createUser(email: email, password: password)
        } catch let refusal as JunctionError where refusal.kind == .conflict {
            // A taken email is a log-in attempt: the right password signs in, a wrong one counts
            // against the same limits as the log-in page, so sign-up cannot be used to test
            // emails faster than log-in can (M2 of the security review).
            return try await signInAttempt(
                request, context: context, email: email, password: password, session: session, next: form["next"],
                page: "signup", title: "Create your login",
                wrong: "A login with this email already exists. Log in instead.")
        } catch let refusal as JunctionError {
            return try await credentialsPage(
                "signup", request, title: "Create your login", error: refusal.message, email: email)
        }
        return try await signIn(user, replacing: session, next: form["next"])
    }

    @Sendable func login(_ request: Request, context: JunctionContext) async throws -> Response {
        let session = try await sessions.current(request)
        guard let form = try await sessions.form(request, session: session), let session else {
            return Pages.forbidden()
        }
        return try await signInAttempt(
            request, context: context, email: (form["email"] ?? "").trimmingCharacters(in: .whitespaces),
            password: form["password"] ?? "", session: session, next: form["next"], page: "login", title: "Log in",
            wrong: "Wrong email or password.")
    }

    /// A password checked within the limits of ``SignInLimiter``: 429 past them.
    private func signInAttempt(
        _ request: Request, context: JunctionContext, email: String, password: String, session: WebSession,
        next: String?, page template: String, title: String, wrong: String
    ) async throws -> Response {
        let limiter = dependencies.signInLimiter
        let address = context.remoteAddress?.ipAddress
        let wall = Int(Date().timeIntervalSince1970)
        if let wait = await limiter.retryAfter(email: email, address: address, now: wall) {
            let minutes = (wait + 59) / 60
            var page = try await credentialsPage(
                template, request, title: title,
                error: "Too many failed attempts. Try again in \(minutes) minute\(minutes == 1 ? "" : "s").",
                email: email)
            page.status = HTTPResponse.Status.tooManyRequests
            page.headers[HTTPField.Name.retryAfter] = String(wait)
            return page
        }
        guard let user = try await dependencies.registration.signIn(email: email, password: password) else {
            await limiter.failed(email: email, address: address, now: wall)
            return try await credentialsPage(template, request, title: title, error: wrong, email: email)
        }
        await limiter.succeeded(email: email)
        return try await signIn(user, replacing: session, next: next)
    }

    /// A new session for the person: the old token is never reused after signing in.
    private func signIn(_ user: User, replacing old: WebSession, next: String?) async throws -> Response {
        try await sessions.end(old)
        let (_, cookie) = try await sessions.start(user: user.id, account: nil)
        return .redirect(WebSessions.safeNext(next) ?? "/dashboard", setCookie: cookie)
    }

    @Sendable func logout(_ request: Request, context: JunctionContext) async throws -> Response {
        let session = try await sessions.current(request)
        guard try await sessions.form(request, session: session) != nil, let session else { return Pages.forbidden() }
        try await sessions.end(session)
        return .redirect("/login", setCookie: WebSessions(dependencies: dependencies).clearCookie)
    }
}

/// The sign-up and log-in pages.
struct CredentialsView: Sendable {
    var next: String
    var nextEscaped: String
    var prefillEmail: String
    var error: String?
}
