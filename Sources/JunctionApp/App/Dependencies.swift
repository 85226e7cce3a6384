import ConnectModel
import Hummingbird
import JunctionDomain
import JunctionStorage
import Logging

/// What every controller, page and worker shares: the store, Junction's clock, the logger and
/// the public URL; and the domain services built on them.
struct Dependencies: Sendable {
    let store: any Store
    let clock: AdjustableClock
    let logger: Logger
    /// The base URL pages and links are built on (`http://127.0.0.1:12111`).
    let publicURL: String
    /// The API's routes and their parameter schemas, as `/openapi.json` serves them.
    let openAPI = OpenAPIDocument()
    /// Whether `publicURL` was configured (`--public-url`): then links never come from `Host`.
    var publicURLConfigured = false
    /// Failed sign-ins of this instance, per email and address (M2).
    var signInLimiter = SignInLimiter()
    /// Writes left over from answered requests while the database was out of reach.
    let bookkeeping = Bookkeeping()
    /// What `/metrics` reports.
    let metrics = JunctionMetrics()
    /// Which hosts webhook endpoints may point at (`--webhook-destinations`).
    var webhookDestinations = WebhookDestinations.any

    // The domain, as the HTTP layer reaches it.
    var objects: Objects { Objects(store: store) }
    var authentication: Authentication { Authentication(store: store) }
    var access: AccessControl { AccessControl(store: store) }
    var accounts: ConnectedAccounts { ConnectedAccounts(store: store, clock: clock) }
    var registration: Registration { Registration(store: store, clock: clock) }
    var oauth: OAuthFlow { OAuthFlow(store: store, clock: clock) }
    var customers: Customers { Customers(store: store) }
    var paymentMethods: PaymentMethods { PaymentMethods(store: store) }
    var paymentIntents: PaymentIntents { PaymentIntents(store: store) }
    var refunds: Refunds { Refunds(store: store) }
    var applicationFees: ApplicationFees { ApplicationFees(store: store) }
    var transfers: Transfers { Transfers(store: store) }
    var payouts: Payouts { Payouts(store: store) }
    var balances: Balances { Balances(store: store) }
    var products: Products { Products(store: store) }
    var prices: Prices { Prices(store: store) }
    var coupons: Coupons { Coupons(store: store) }
    var meters: Meters { Meters(store: store) }
    var subscriptions: Subscriptions { Subscriptions(store: store) }
    var invoices: Invoices { Invoices(store: store) }
    var webhookEndpoints: WebhookEndpoints { WebhookEndpoints(store: store, destinations: webhookDestinations) }
    var listenSessions: ListenSessions { ListenSessions(store: store, clock: clock) }
    var deliveryAttempts: DeliveryAttempts { DeliveryAttempts(store: store, clock: clock) }
    var versions: APIVersions { APIVersions(store: store) }

    /// The base URL for links in a response: the address the client reached us at (so links
    /// work behind any host name or a port chosen at start), else the configured one.
    func baseURL(for request: Request) -> String {
        // Behind a proxy that passes `Host` through, links could point elsewhere (L8).
        if publicURLConfigured { return publicURL }
        guard let authority = request.head.authority, !authority.isEmpty,
            !authority.contains("/"), !authority.contains(" ")
        else { return publicURL }
        return "http://\(authority)"
    }

    /// Cookies say `Secure` when the public URL is https.
    var secureCookies: Bool { publicURLConfigured && publicURL.hasPrefix("https://") }

    /// Resolves ids for `expand[]` as the caller of `call` may see them: accounts it may see,
    /// applications, and the objects and balance transactions of the account it acts as (A6).
    func resolver(for call: APICall) -> Expansion.Resolver {
        resolver(principal: call.principal, stripeAccount: call.stripeAccount, actingAccount: call.actingAccount)
    }

    /// An id the caller may not see stays an id; a failing store fails the request (it never
    /// passes for "not found").
    func resolver(principal: Principal, stripeAccount: String?, actingAccount: String) -> Expansion.Resolver {
        let access = self.access
        let store = self.store
        let clock = self.clock
        return { id in
            if id.hasPrefix("acct_") {
                do {
                    let (account, relation) = try await access.account(
                        id, principal: principal, stripeAccount: stripeAccount)
                    return account.rendered(for: relation)
                } catch let refusal as JunctionError where refusal.kind == .permission {
                    return nil  // not visible to the caller: left as an id
                }
            }
            if id.hasPrefix("ca_"), let application = try await store.application(id) {
                return application.publicJSON
            }
            if id.hasPrefix("txn_") {
                return try await store.balanceTransaction(id, account: actingAccount)?.rendered(now: clock.now())
            }
            return try await store.object(id, account: actingAccount)?.publicDocument
        }
    }

    /// The includable properties of the objects a caller acting as `actingAccount` reads: from
    /// the object's descriptor, and for lists of other objects (a customer's `subscriptions`), a
    /// first page of them.
    func includer(actingAccount: String) -> Expansion.Includer {
        let store = self.store
        return { object, property in
            guard let kind = object["object"]?.stringValue.flatMap(ObjectKind.init), let id = object["id"]?.stringValue
            else { return nil }
            let resource = kind.resource
            switch resource.includable[property] {
            case nil: return nil
            case .list(let listed?, let reference)?:
                var filter = ObjectFilter()
                switch reference {
                case .customer: filter.customer = id
                case .parent: filter.parent = id
                case .none: return resource.emptyIncludedList(property, of: id)
                }
                // As the subscriptions list: canceled ones only when asked for.
                if listed == .subscription { filter.excludedStatuses = [SubscriptionStatus.canceled.rawValue] }
                let page = try await store.objects(
                    account: actingAccount, kind: listed, filter: filter, page: PageRequest(limit: 10))
                var list = ListEnvelope.list(page, url: "\(resource.path)/\(id)/\(property)")
                if !page.hasMore { list["total_count"] = .int(page.items.count) }
                return list
            case .list(nil, _)?: return resource.emptyIncludedList(property, of: id)
            case .privateField(let field)?:
                return try await store.object(id, account: actingAccount)?.document[field] ?? .null
            default: return resource.included(property, of: object)
            }
        }
    }
}
