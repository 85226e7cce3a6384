import ConnectModel
import Hummingbird

/// What a route does to the account its caller acts as.
enum RouteAccess: String, Sendable {
    /// Reads the acting account's objects.
    case read
    /// Creates or changes the acting account's objects.
    case write
    /// Only a platform acting as itself (no `Stripe-Account`, no OAuth token): creating connected
    /// accounts and onboarding links for them.
    case platformItself
    /// Not part of the key-authenticated API: pages, OAuth, the control API, health.
    case outsideAPI
}

/// The one authorization step in front of every API endpoint (A1–A4), decided from a table:
/// the route's access × how the caller reaches the acting account (its own key, or a connection
/// of some scope through `Stripe-Account` or an OAuth token). Who may change which account
/// field is then P10's business (``Account/apply(_:as:now:)``).
enum AuthorizationTable {
    /// Every route the server has. A test proves this covers the router exactly.
    static let routes: [String: RouteAccess] = [
        "GET /healthz": .outsideAPI,
        "GET /openapi.json": .outsideAPI,
        "GET /metrics": .outsideAPI,
        // Accounts
        "POST /v1/accounts": .platformItself,
        "GET /v1/accounts": .read,
        "GET /v1/account": .read,
        "GET /v1/accounts/{id}": .read,
        "POST /v1/accounts/{id}": .write,
        "DELETE /v1/accounts/{id}": .write,
        "POST /v1/accounts/{id}/reject": .write,
        "POST /v1/accounts/{id}/unreject": .write,
        "GET /v1/accounts/{id}/capabilities": .read,
        "GET /v1/accounts/{id}/external_accounts": .read,
        "POST /v1/accounts/{id}/external_accounts": .write,
        "POST /v1/accounts/{id}/persons": .write,
        "GET /v1/accounts/{id}/persons": .read,
        "GET /v1/accounts/{id}/persons/{person}": .read,
        "POST /v1/accounts/{id}/persons/{person}": .write,
        "DELETE /v1/accounts/{id}/persons/{person}": .write,
        "GET /v1/accounts/{id}/external_accounts/{external}": .read,
        "POST /v1/accounts/{id}/external_accounts/{external}": .write,
        "DELETE /v1/accounts/{id}/external_accounts/{external}": .write,
        "GET /v1/accounts/{id}/capabilities/{name}": .read,
        "POST /v1/accounts/{id}/capabilities/{name}": .write,
        "POST /v1/accounts/{id}/login_links": .platformItself,
        "POST /v1/account_links": .platformItself,
        // Customers and payment methods (A5)
        "POST /v1/customers": .write,
        "GET /v1/customers": .read,
        "GET /v1/customers/{id}": .read,
        "POST /v1/customers/{id}": .write,
        "DELETE /v1/customers/{id}": .write,
        "GET /v1/customers/{id}/payment_methods": .read,
        "GET /v1/customers/{id}/sources": .read,
        "GET /v1/customers/{id}/tax_ids": .read,
        "POST /v1/payment_methods": .write,
        "GET /v1/payment_methods": .read,
        "GET /v1/payment_methods/{id}": .read,
        "POST /v1/payment_methods/{id}": .write,
        "POST /v1/payment_methods/{id}/attach": .write,
        "POST /v1/payment_methods/{id}/detach": .write,
        // Payments and balances (A5, F1–F3)
        "POST /v1/payment_intents": .write,
        "GET /v1/payment_intents": .read,
        "GET /v1/payment_intents/{id}": .read,
        "POST /v1/payment_intents/{id}": .write,
        "POST /v1/payment_intents/{id}/confirm": .write,
        "POST /v1/payment_intents/{id}/capture": .write,
        "POST /v1/payment_intents/{id}/cancel": .write,
        "GET /v1/charges": .read,
        "GET /v1/charges/{id}": .read,
        "POST /v1/charges/{id}": .write,
        "GET /v1/balance": .read,
        "GET /v1/balance_transactions": .read,
        "GET /v1/balance_transactions/{id}": .read,
        "POST /v1/refunds": .write,
        "GET /v1/refunds": .read,
        "GET /v1/refunds/{id}": .read,
        "POST /v1/refunds/{id}": .write,
        "POST /v1/refunds/{id}/cancel": .write,
        "GET /v1/application_fees": .read,
        "GET /v1/application_fees/{id}": .read,
        "POST /v1/application_fees/{id}/refunds": .write,
        "GET /v1/application_fees/{id}/refunds": .read,
        "GET /v1/application_fees/{id}/refunds/{refund}": .read,
        "POST /v1/application_fees/{id}/refunds/{refund}": .write,
        "POST /v1/payouts": .write,
        "GET /v1/payouts": .read,
        "GET /v1/payouts/{id}": .read,
        "POST /v1/payouts/{id}": .write,
        "POST /v1/payouts/{id}/cancel": .write,
        "POST /v1/transfers": .write,
        "GET /v1/transfers": .read,
        "GET /v1/transfers/{id}": .read,
        "POST /v1/transfers/{id}": .write,
        "POST /v1/transfers/{id}/reversals": .write,
        "GET /v1/transfers/{id}/reversals": .read,
        "GET /v1/transfers/{id}/reversals/{reversal}": .read,
        "POST /v1/transfers/{id}/reversals/{reversal}": .write,
        "POST /v1/products": .write,
        "GET /v1/products": .read,
        "GET /v1/products/{id}": .read,
        "GET /v1/products/{id}/features": .read,
        "POST /v1/products/{id}": .write,
        "DELETE /v1/products/{id}": .write,
        "POST /v1/coupons": .write,
        "GET /v1/coupons": .read,
        "GET /v1/coupons/{id}": .read,
        "POST /v1/coupons/{id}": .write,
        "DELETE /v1/coupons/{id}": .write,
        "POST /v1/billing/meters": .write,
        "GET /v1/billing/meters": .read,
        "GET /v1/billing/meters/{id}": .read,
        "POST /v1/billing/meters/{id}": .write,
        "POST /v1/billing/meters/{id}/deactivate": .write,
        "POST /v1/billing/meters/{id}/reactivate": .write,
        "GET /v1/billing/meters/{id}/event_summaries": .read,
        "POST /v1/billing/meter_events": .write,
        "POST /v1/prices": .write,
        "GET /v1/prices": .read,
        "GET /v1/prices/{id}": .read,
        "POST /v1/prices/{id}": .write,
        "POST /v1/subscriptions": .write,
        "GET /v1/subscriptions": .read,
        "GET /v1/subscriptions/{id}": .read,
        "GET /v1/subscription_items": .read,
        "POST /v1/subscription_items": .write,
        "GET /v1/subscription_items/{id}": .read,
        "POST /v1/subscription_items/{id}": .write,
        "DELETE /v1/subscription_items/{id}": .write,
        "POST /v1/subscriptions/{id}": .write,
        "DELETE /v1/subscriptions/{id}": .write,
        "GET /v1/invoices": .read,
        "GET /v1/invoices/{id}": .read,
        "GET /v1/invoices/{id}/lines": .read,
        "POST /v1/invoices/{id}/pay": .write,
        "POST /v1/webhook_endpoints": .write,
        "GET /v1/webhook_endpoints": .read,
        "GET /v1/webhook_endpoints/{id}": .read,
        "POST /v1/webhook_endpoints/{id}": .write,
        "DELETE /v1/webhook_endpoints/{id}": .write,
        // `junction listen` sessions: endpoints the listener pulls from.
        "POST /v1/stripecli/sessions": .write,
        "POST /v1/stripecli/sessions/{id}/poll": .write,
        "POST /v1/stripecli/sessions/{id}/deliveries/{delivery}": .write,
        "DELETE /v1/stripecli/sessions/{id}": .write,
        // Events
        "GET /v1/events": .read,
        "GET /v1/events/{id}": .read,
        // OAuth and pages
        "POST /oauth/token": .outsideAPI,
        "POST /oauth/deauthorize": .outsideAPI,
        "GET /oauth/authorize": .outsideAPI,
        "POST /oauth/authorize": .outsideAPI,
        "GET /express/oauth/authorize": .outsideAPI,
        "GET /connect/onboarding/{token}": .outsideAPI,
        "POST /connect/onboarding/{token}": .outsideAPI,
        "GET /": .outsideAPI,
        "GET /signup": .outsideAPI,
        "POST /signup": .outsideAPI,
        "GET /login": .outsideAPI,
        "POST /login": .outsideAPI,
        "POST /logout": .outsideAPI,
        "GET /dashboard": .outsideAPI,
        "GET /dashboard/accounts/{account}": .outsideAPI,
        "GET /dashboard/accounts/{account}/applications": .outsideAPI,
        "GET /dashboard/accounts/{account}/webhooks": .outsideAPI,
        "POST /dashboard/accounts/{account}/applications/{application}/revoke": .outsideAPI,
        "GET /dashboard/accounts/{account}/connected": .outsideAPI,
        "GET /dashboard/accounts/{account}/connected/{connected}": .outsideAPI,
        "GET /express/login/{token}": .outsideAPI,
        "GET /express/dashboard": .outsideAPI,
        // Control API (admin token)
        "POST /_junction/applications": .outsideAPI,
        "POST /_junction/applications/{application}": .outsideAPI,
        "POST /_junction/users": .outsideAPI,
        "GET /_junction/users": .outsideAPI,
        "POST /_junction/users/{user}/accounts": .outsideAPI,
        "GET /_junction/users/{user}/accounts": .outsideAPI,
        "GET /_junction/oauth/accounts": .outsideAPI,
        "POST /_junction/oauth/authorize": .outsideAPI,
        "GET /_junction/accounts/{account}/authorized_applications": .outsideAPI,
        "POST /_junction/accounts/{account}/authorized_applications/{application}/revoke": .outsideAPI,
        "POST /_junction/legacy_connections": .outsideAPI,
        "POST /_junction/clock/advance": .outsideAPI,
        "GET /_junction/webhook_deliveries": .outsideAPI,
    ]

    /// The table's key of a route: `GET /v1/accounts/{id}`, as Hummingbird describes routes.
    static func key(_ method: HTTPRequest.Method, _ path: String) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }
        return "\(method.rawValue) \(segments.joined(separator: "/"))"
    }

    /// The access of an API route; a route missing from the table is a programming error.
    static func access(_ method: HTTPRequest.Method, _ path: String) -> RouteAccess {
        guard let access = routes[key(method, path)], access != .outsideAPI else {
            preconditionFailure("\(method.rawValue) \(path) is not an API route of the authorization table")
        }
        return access
    }

    /// The decision for a caller that reaches the acting account through a connection of
    /// `scope` (`nil`: its own key, acting as itself). `nil` means allowed.
    static func refusal(_ access: RouteAccess, through scope: Connection.Scope?, acting account: String)
        -> JunctionError?
    {
        switch (access, scope) {
        case (.read, _), (.write, nil), (.write, .readWrite?), (.platformItself, nil):
            return nil
        case (.write, .readOnly?):
            return JunctionError.readOnly(account: account)  // A4
        case (.platformItself, _?):
            return JunctionError.invalid(
                "This request can only be made by a platform acting as itself: remove the Stripe-Account header, or use the platform's secret key instead of an OAuth access token."
            )
        case (.outsideAPI, _):
            return nil
        }
    }
}
