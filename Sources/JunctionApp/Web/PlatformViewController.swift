import ConnectModel
import Hummingbird
import JunctionDomain

/// The platform's view of its connected accounts (A7): the list, and a restricted, read-only
/// view of each: payments, refunds, customers, the transfers the platform sent it and its
/// payouts; no settings, no card or bank numbers (only brand and last 4), nothing of other
/// accounts.
struct PlatformViewController: Sendable {
    let dependencies: Dependencies
    var dashboard: DashboardController { DashboardController(dependencies: dependencies) }

    func addRoutes(to signedIn: RouterGroup<JunctionContext>) {
        signedIn.get("/dashboard/accounts/:account/connected", use: connectedAccounts)
        signedIn.get("/dashboard/accounts/:account/connected/:connected", use: restrictedView)
    }

    /// The platform account of the route (owned by the signed-in person) and its application.
    private func platform(_ context: JunctionContext, _ me: SignedIn) async throws -> (Account, ConnectApplication) {
        let account = try await dashboard.ownedAccount(context, me)
        guard let application = try await dependencies.store.application(ownedBy: account.id) else {
            throw PageNotFound.account
        }
        return (account, application)
    }

    @Sendable func connectedAccounts(_ request: Request, context: JunctionContext) async throws -> Response {
        let me = try context.signedIn()
        let (account, application) = try await platform(context, me)
        let connected = try await dependencies.store.connectedAccounts(
            of: application.id, page: PageRequest(limit: 100))
        let rows = connected.items.map {
            ConnectedView.Row(id: $0.id, name: $0.displayName, type: $0.type.rawValue, platformAccount: account.id)
        }
        let view = ConnectedView(application: application.name, hasAccounts: !rows.isEmpty, accounts: rows)
        return Pages.render("connected", me.page("Accounts connected to \(application.name)", view))
    }

    @Sendable func restrictedView(_ request: Request, context: JunctionContext) async throws -> Response {
        let me = try context.signedIn()
        let (platformAccount, application) = try await platform(context, me)
        let connectedID = try context.parameters.require("connected")
        guard try await dependencies.store.activeConnection(application: application.id, account: connectedID) != nil,
            let connected = try await dependencies.store.account(connectedID)
        else { throw PageNotFound.account }
        let objects = dependencies.objects
        func recent(_ resource: Resource) async throws -> [JSONValue] {
            try await objects.list(resource, account: connectedID, page: PageRequest(limit: 50)).items.map(
                \.publicDocument)
        }
        let charges = try await recent(.charge).map { charge in
            let card = charge["payment_method_details"]?["card"]
            return RestrictedView.Charge(
                id: charge.id, amount: charge.money("amount"), status: charge.status(ChargeStatus.self)?.rawValue ?? "",
                card: "\(card?["brand"]?.stringValue?.capitalized ?? "Card") •••• \(card?["last4"]?.stringValue ?? "")",
                refunded: charge.money("amount_refunded"), date: charge.createdDate)
        }
        let refunds = try await recent(.refund).map { refund in
            RestrictedView.Refund(
                id: refund.id, amount: refund.money("amount"), charge: refund["charge"]?.stringValue ?? "",
                status: refund.status(RefundStatus.self)?.rawValue ?? "", date: refund.createdDate)
        }
        let customers = try await recent(.customer).map { customer in
            RestrictedView.Customer(
                id: customer.id, name: customer["name"]?.stringValue ?? "—",
                email: customer["email"]?.stringValue ?? "—", date: customer.createdDate)
        }
        // What the platform sent it (its own transfers to this account), and its payouts.
        let transfers = try await objects.list(
            .transfer, account: platformAccount.id, filter: ObjectFilter(parent: connectedID),
            page: PageRequest(limit: 50)
        ).items.map { MoneyMovementRow(transfer: $0.publicDocument) }
        let payouts = try await recent(.payout).map(MoneyMovementRow.init(payout:))
        let view = RestrictedView(
            id: connected.id, name: connected.displayName, application: application.name,
            hasCharges: !charges.isEmpty, charges: charges, hasRefunds: !refunds.isEmpty, refunds: refunds,
            hasCustomers: !customers.isEmpty, customers: customers, hasTransfers: !transfers.isEmpty,
            transfers: transfers, hasPayouts: !payouts.isEmpty, payouts: payouts)
        return Pages.render("restricted", me.page(connected.displayName, view))
    }
}

extension JSONValue {
    var id: String { self["id"]?.stringValue ?? "" }
    var createdDate: String { humanDate(self["created"]?.integerValue ?? 0) }
    func money(_ field: String) -> String {
        humanMoney(self[field]?.integerValue, self["currency"]?.stringValue)
    }
}

/// The accounts connected to the platform.
struct ConnectedView: Sendable {
    struct Row: Sendable {
        var id, name, type, platformAccount: String
    }
    var application: String
    var hasAccounts: Bool
    var accounts: [Row]
}

/// A7: one connected account, read-only.
struct RestrictedView: Sendable {
    struct Charge: Sendable {
        var id, amount, status, card, refunded, date: String
    }
    struct Refund: Sendable {
        var id, amount, charge, status, date: String
    }
    struct Customer: Sendable {
        var id, name, email, date: String
    }
    var id, name, application: String
    var hasCharges: Bool
    var charges: [Charge]
    var hasRefunds: Bool
    var refunds: [Refund]
    var hasCustomers: Bool
    var customers: [Customer]
    var hasTransfers: Bool
    var transfers: [MoneyMovementRow]
    var hasPayouts: Bool
    var payouts: [MoneyMovementRow]
}

/// One transfer, payment received or payout in a table of the restricted view or the Express
/// dashboard.
struct MoneyMovementRow: Sendable {
    var id, amount, status, detail, date: String

    init(id: String, amount: String, status: String, detail: String, date: String) {
        self.id = id
        self.amount = amount
        self.status = status
        self.detail = detail
        self.date = date
    }

    init(transfer: JSONValue) {
        id = transfer.id
        amount = transfer.money("amount")
        status = transfer["reversed"] == true ? "reversed" : "paid"
        detail =
            (transfer["amount_reversed"]?.integerValue ?? 0) > 0
            ? "\(transfer.money("amount_reversed")) reversed" : (transfer["transfer_group"]?.stringValue ?? "—")
        date = transfer.createdDate
    }

    init(payout: JSONValue) {
        id = payout.id
        amount = payout.money("amount")
        status = payout.status(PayoutStatus.self)?.rawValue ?? ""
        detail =
            payout["failure_code"]?.stringValue
            ?? "arrives \(humanDate(payout["arrival_date"]?.integerValue ?? 0))"
        date = payout.createdDate
    }
}
