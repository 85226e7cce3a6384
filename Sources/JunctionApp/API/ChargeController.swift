import ConnectModel
import Hummingbird
import StripeForm

/// Charges (made by payment intents) and the balance of the acting account.
struct ChargeController: Sendable {
    let dependencies: Dependencies

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(dependencies: dependencies)
        let handlers = ResourceHandlers(dependencies: dependencies)
        endpoint.add(
            .get, "/v1/charges", to: router,
            CommonParams.list(["customer": ParamSpec(.string), "payment_intent": ParamSpec(.string)]),
            handlers.list(.charge) {
                ObjectFilter(customer: $0["customer"]?.string, parent: $0["payment_intent"]?.string)
            })
        endpoint.add(.get, "/v1/charges/:id", to: router, CommonParams.expandOnly, handlers.retrieve(.charge))
        endpoint.add(.post, "/v1/charges/:id", to: router, Self.update, handlers.update(.charge))
        endpoint.add(.get, "/v1/balance", to: router, CommonParams.expandOnly, balance)
        endpoint.add(
            .get, "/v1/balance_transactions", to: router,
            CommonParams.list(["type": ParamSpec(.string(maxLength: 50)), "source": ParamSpec(.string)]),
            balanceTransactions)
        endpoint.add(.get, "/v1/balance_transactions/:id", to: router, CommonParams.expandOnly, balanceTransaction)
    }

    static let update = ParamSchema([
        "description": ParamSpec(.string(maxLength: 1000), unsettable: true),
        "metadata": CommonParams.metadata,
        "receipt_email": ParamSpec(.string, unsettable: true),
        "shipping": ParamSpec(CommonParams.shipping, unsettable: true),
        "expand": ParamSchema.expand,
    ])

    /// `GET /v1/balance`: sums of the balance transactions, split at their `available_on`.
    @Sendable func balance(_ call: APICall) async throws -> APIResult {
        let store = dependencies.store
        let amounts = try await store.balance(of: call.actingAccount, now: call.now)
        let currency = amounts.isEmpty ? try await store.account(call.actingAccount)?.defaultCurrency : nil
        return APIResult(body: BalanceAmount.document(amounts, defaultCurrency: currency ?? "usd"))
    }

    @Sendable func balanceTransactions(_ call: APICall) async throws -> APIResult {
        let page = try await dependencies.store.balanceTransactions(
            account: call.actingAccount, type: call.params["type"]?.string, source: call.params["source"]?.string,
            page: try call.page())
        return APIResult(
            body: ListEnvelope.list(page.map { $0.rendered(now: call.now) }, url: "/v1/balance_transactions"))
    }

    @Sendable func balanceTransaction(_ call: APICall) async throws -> APIResult {
        let id = try call.path()
        guard let entry = try await dependencies.store.balanceTransaction(id, account: call.actingAccount) else {
            throw JunctionError.noSuch("balance transaction", id)
        }
        return APIResult(body: entry.rendered(now: call.now))
    }
}
