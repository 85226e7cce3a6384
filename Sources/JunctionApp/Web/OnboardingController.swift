import ConnectModel
import Hummingbird
import JunctionStorage
import StripeForm

/// The hosted onboarding page behind the URL of an account link.
///
/// The link's token is a single-use secret in the URL, and the form carries the session's CSRF
/// token like every other form.
struct OnboardingController: Sendable {
    let services: JunctionServices

    func addRoutes(to router: Router<JunctionContext>) {
        router.get("/connect/onboarding/:token", use: show)
        router.post("/connect/onboarding/:token", use: submit)
    }

    @Sendable func show(_ request: Request, context: JunctionContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let link = try await services.store.accountLink(tokenHash: Authenticator.hash(token)) else {
            return Pages.render(
                "message",
                [
                    "title": "Link not found",
                    "message": "This onboarding link does not exist. Ask the platform for a new one.",
                ],
                status: .notFound)
        }
        guard link.isUsable(now: services.clock.now()) else { return expired(link) }
        guard let account = try await services.store.account(link.account) else {
            return Pages.render(
                "message", ["title": "Account not found", "message": "This account no longer exists."], status: .gone)
        }
        let platform = try await services.store.application(link.application)?.name ?? "The platform"
        let (session, cookie) = try await WebSessions(services: services).ensure(request)
        return Pages.render(
            "onboarding",
            [
                "title": link.type == "account_update" ? "Update your account" : "Set up your account",
                "platform": platform, "account": account.id, "action": "/connect/onboarding/\(token)",
                "businessName": account.businessProfile["name"]?.stringValue ?? "", "emailValue": account.email ?? "",
                "due": account.requirements.currentlyDue, "hasDue": !account.requirements.isEmpty, "csrf": session.csrf,
            ]
        ).settingCookie(cookie)
    }

    @Sendable func submit(_ request: Request, context: JunctionContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let tokenHash = Authenticator.hash(token)
        let form = try await WebSessions.form(request)
        guard let session = try await WebSessions(services: services).current(request),
            WebSessions.csrfValid(session, form)
        else { return WebController.forbidden() }
        func field(_ name: String) -> String { String((form[name] ?? "").prefix(200)) }
        let submission = OnboardingSubmission(
            businessName: field("business_name"), email: field("email"),
            ip: context.remoteAddress?.ipAddress ?? "127.0.0.1", userAgent: request.headers[.userAgent])
        let now = services.clock.now()
        guard
            try await services.store.useAccountLink(
                tokenHash: tokenHash, now: now,
                emitting: {
                    $1.changeEvents(
                        since: $0, now: now, request: RequestInfo(id: context.requestID, idempotencyKey: nil))
                },
                { $0.completeOnboarding(submission, now: now) }) != nil
        else {
            if let link = try await services.store.accountLink(tokenHash: tokenHash) { return expired(link) }
            return Pages.render(
                "message", ["title": "Link not found", "message": "This onboarding link does not exist."],
                status: .notFound)
        }
        let link = try await services.store.accountLink(tokenHash: tokenHash)
        if let returnURL = link?.returnURL {
            return Response(status: .seeOther, headers: [.location: returnURL])
        }
        return Pages.render(
            "message", ["title": "All set", "message": "Your details were submitted. You can close this page."])
    }

    /// Stripe sends people with a used or expired link to the platform's `refresh_url`.
    private func expired(_ link: AccountLink) -> Response {
        if let refresh = link.refreshURL { return Response(status: .found, headers: [.location: refresh]) }
        return Pages.render(
            "message",
            [
                "title": "Link expired",
                "message": "This onboarding link was already used or has expired. Ask the platform for a new one.",
            ],
            status: .gone)
    }
}
