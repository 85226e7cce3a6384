import ConnectModel
import Hummingbird
import JunctionDomain

/// The Express dashboard (C11): a login link from the platform opens a reduced, read-only
/// dashboard of one account, in a session of that account (not of a person).
struct ExpressController: Sendable {
    let dependencies: Dependencies
    var sessions: WebSessions { WebSessions(dependencies: dependencies) }

    func addRoutes(to pages: RouterGroup<JunctionContext>) {
        pages.get("/express/login/:token", use: login)
        pages.get("/express/dashboard", use: dashboard)
    }

    /// A login link: single use and short-lived.
    @Sendable func login(_ request: Request, context: JunctionContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let accountID = try await dependencies.accounts.useLoginLink(token) else {
            return Pages.message(
                "Login link expired",
                "This login link was already used or has expired. Open the dashboard again from your platform.",
                status: .gone)
        }
        if let old = try await sessions.current(request) { try await sessions.end(old) }
        let (_, cookie) = try await sessions.start(user: nil, account: accountID)
        return .redirect("/express/dashboard", setCookie: cookie)
    }

    @Sendable func dashboard(_ request: Request, context: JunctionContext) async throws -> Response {
        guard let session = try await sessions.current(request), let accountID = session.account,
            let account = try await dependencies.store.account(accountID), account.controller.dashboard == .express
        else {
            return Pages.message(
                "Not signed in", "The Express dashboard opens from a login link your platform gives you.",
                status: .unauthorized)
        }
        var platform = "your platform"
        if let id = account.controllingApplication, let application = try await dependencies.store.application(id) {
            platform = application.name
        }
        let view = ExpressView(
            id: account.id, name: account.displayName, platform: platform,
            charges: account.chargesEnabled ? "Enabled" : "Not enabled",
            payouts: account.payoutsEnabled ? "Enabled" : "Not enabled", payoutSchedule: account.humanPayoutSchedule,
            emailText: account.email ?? "—")
        return Pages.render(
            "express", PageContext(title: account.displayName, csrf: session.csrf, email: nil, view: view))
    }
}

/// The Express dashboard of one account.
struct ExpressView: Sendable {
    var id, name, platform, charges, payouts, payoutSchedule, emailText: String
}
