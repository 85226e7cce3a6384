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
    var products: Products { Products(store: store) }
    var prices: Prices { Prices(store: store) }
    var coupons: Coupons { Coupons(store: store) }
    var subscriptions: Subscriptions { Subscriptions(store: store) }
    var webhookEndpoints: WebhookEndpoints { WebhookEndpoints(store: store) }
    var listenSessions: ListenSessions { ListenSessions(store: store, clock: clock) }
    var deliveryAttempts: DeliveryAttempts { DeliveryAttempts(store: store, clock: clock) }

    /// The base URL for links in a response: the address the client reached us at (so links
    /// work behind any host name or a port chosen at start), else the configured one.
    func baseURL(for request: Request) -> String {
        guard let authority = request.head.authority, !authority.isEmpty,
            !authority.contains("/"), !authority.contains(" ")
        else { return publicURL }
        return "http://\(authority)"
    }

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
}
