import ConnectModel
import Hummingbird
import JunctionDomain

/// The hosted onboarding page behind the URL of an account link.
///
/// The link's token is a single-use secret in the URL, and the form carries the session's CSRF
/// token like every other form.
struct OnboardingController: Sendable {
    let dependencies: Dependencies

    func addRoutes(to pages: RouterGroup<JunctionContext>) {
        pages.get("/connect/onboarding/:token", use: show)
        pages.post("/connect/onboarding/:token", use: submit)
    }

    @Sendable func show(_ request: Request, context: JunctionContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let link = try await dependencies.accounts.accountLink(token) else {
            return Pages.message(
                "Link not found", "This onboarding link does not exist. Ask the platform for a new one.",
                status: .notFound)
        }
        guard link.isUsable(now: dependencies.clock.now()) else { return expired(link) }
        guard let account = try await dependencies.store.account(link.account) else {
            return Pages.message("Account not found", "This account no longer exists.", status: .gone)
        }
        let platform = try await dependencies.store.application(link.application)?.name ?? "The platform"
        let (session, cookie) = try await WebSessions(dependencies: dependencies).ensure(request)
        let view = OnboardingView(
            platform: platform, account: account.id, action: "/connect/onboarding/\(token)",
            businessName: account.businessProfile["name"]?.stringValue ?? "", emailValue: account.email ?? "",
            hasDue: !account.requirements.isEmpty, due: account.requirements.currentlyDue,
            asksBankAccount: account.payoutDestinations.isEmpty,
            isCompany: account.businessType.map { $0 != "individual" } ?? false)
        let title = link.type == .accountUpdate ? "Update your account" : "Set up your account"
        return Pages.render("onboarding", PageContext(title: title, csrf: session.csrf, view: view))
            .settingCookie(cookie)
    }

    @Sendable func submit(_ request: Request, context: JunctionContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let sessions = WebSessions(dependencies: dependencies)
        guard let form = try await sessions.form(request, session: try await sessions.current(request)) else {
            return Pages.forbidden()
        }
        func field(_ name: String) -> String { String((form[name] ?? "").prefix(200)) }
        let submission = OnboardingSubmission(
            businessName: field("business_name"), email: field("email"),
            ip: context.remoteAddress?.ipAddress ?? "127.0.0.1", userAgent: request.headers[.userAgent],
            routingNumber: field("routing_number").isEmpty ? "110000000" : field("routing_number"),
            accountNumber: field("account_number").isEmpty ? "000123456789" : field("account_number"),
            representativeFirstName: field("representative_first_name"),
            representativeLastName: field("representative_last_name"),
            representativeTitle: field("representative_title"))
        let completed: Account?
        do {
            completed = try await dependencies.accounts.completeOnboarding(
                token, submission, request: RequestInfo(id: context.requestID, idempotencyKey: nil))
        } catch let refusal as JunctionError where refusal.kind == .invalidRequest {
            // A bank account that is not one: said on a page; the link stays usable.
            return Pages.message("Check your bank account", refusal.message, status: .badRequest)
        }
        guard completed != nil else {
            if let link = try await dependencies.accounts.accountLink(token) { return expired(link) }
            return Pages.message("Link not found", "This onboarding link does not exist.", status: .notFound)
        }
        let link = try await dependencies.accounts.accountLink(token)
        if let returnURL = link?.returnURL {
            return Response(status: .seeOther, headers: [.location: returnURL])
        }
        return Pages.message("All set", "Your details were submitted. You can close this page.")
    }

    /// Stripe sends people with a used or expired link to the platform's `refresh_url`.
    private func expired(_ link: AccountLink) -> Response {
        if let refresh = link.refreshURL { return Response(status: .found, headers: [.location: refresh]) }
        return Pages.message(
            "Link expired", "This onboarding link was already used or has expired. Ask the platform for a new one.",
            status: .gone)
    }
}

/// The hosted onboarding form.
struct OnboardingView: Sendable {
    var platform, account, action, businessName, emailValue: String
    var hasDue: Bool
    var due: [String]
    /// Payouts need a bank account: asked for until the account has one.
    var asksBankAccount: Bool
    /// A company names its representative.
    var isCompany: Bool
}
