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
        // Its money: the balance, what it received (transfers' payments), and its payouts.
        let objects = dependencies.objects
        let balance = try await dependencies.store.balance(of: account.id, now: dependencies.clock.now()).map {
            "\(humanMoney($0.available, $0.currency)) available, \(humanMoney($0.pending, $0.currency)) pending"
        }
        let received = try await objects.list(.charge, account: account.id, page: PageRequest(limit: 50)).items
            .map(\.publicDocument).filter { $0["source_transfer"]?.stringValue != nil }
            .map { payment in
                MoneyMovementRow(
                    id: payment.id, amount: payment.money("amount"),
                    status: payment["refunded"] == true ? "reversed" : "received",
                    detail: payment["source_transfer"]?.stringValue ?? "", date: payment.createdDate)
            }
        let payouts = try await objects.list(.payout, account: account.id, page: PageRequest(limit: 50)).items
            .map { MoneyMovementRow(payout: $0.publicDocument) }
        let view = ExpressView(
            id: account.id, name: account.displayName, platform: platform,
            charges: account.chargesEnabled ? "Enabled" : "Not enabled",
            payouts: account.payoutsEnabled ? "Enabled" : "Not enabled", payoutSchedule: account.humanPayoutSchedule,
            emailText: account.email ?? "—", balance: balance.isEmpty ? "Nothing yet" : balance.joined(separator: "; "),
            hasReceived: !received.isEmpty, received: received, hasPayoutList: !payouts.isEmpty, payoutList: payouts)
        return Pages.render(
            "express", PageContext(title: account.displayName, csrf: session.csrf, email: nil, view: view))
    }
}

/// The Express dashboard of one account.
struct ExpressView: Sendable {
    var id, name, platform, charges, payouts, payoutSchedule, emailText, balance: String
    var hasReceived: Bool
    var received: [MoneyMovementRow]
    var hasPayoutList: Bool
    var payoutList: [MoneyMovementRow]
}
