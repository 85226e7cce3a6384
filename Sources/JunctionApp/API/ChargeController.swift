import ConnectModel
import Hummingbird
import JunctionStorage
import StripeForm

/// Charges (made by payment intents) and the balance of the acting account.
struct ChargeController: Sendable {
    let services: JunctionServices

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(services: services)
        endpoint.add(
            .get, "/v1/charges", to: router,
            ObjectParams.list(["customer": ParamSpec(.string), "payment_intent": ParamSpec(.string)]), list)
        endpoint.add(.get, "/v1/charges/:id", to: router, ObjectParams.expandOnly, retrieve)
        endpoint.add(.post, "/v1/charges/:id", to: router, Self.update, update)
        endpoint.add(.get, "/v1/balance", to: router, ObjectParams.expandOnly, balance)
        endpoint.add(
            .get, "/v1/balance_transactions", to: router,
            ObjectParams.list(["type": ParamSpec(.string(maxLength: 50)), "source": ParamSpec(.string)]),
            balanceTransactions)
        endpoint.add(.get, "/v1/balance_transactions/:id", to: router, ObjectParams.expandOnly, balanceTransaction)
    }

    static let update = ParamSchema([
        "description": ParamSpec(.string(maxLength: 1000), unsettable: true),
        "metadata": ParamSpec(.metadata, unsettable: true),
        "receipt_email": ParamSpec(.string, unsettable: true),
        "shipping": ParamSpec(ObjectParams.shipping, unsettable: true),
        "expand": ParamSchema.expand,
    ])

    @Sendable func list(_ call: APICall) async throws -> APIResult {
        try await services.listObjects(
            call, type: "charge", url: "/v1/charges",
            filter: ObjectFilter(
                customer: call.params["customer"]?.string, parent: call.params["payment_intent"]?.string))
    }

    @Sendable func retrieve(_ call: APICall) async throws -> APIResult {
        try await services.retrieveObject(call, type: "charge", noun: "charge")
    }

    @Sendable func update(_ call: APICall) async throws -> APIResult {
        try await services.updateObject(call, type: "charge", noun: "charge", event: "charge.updated")
    }

    /// `GET /v1/balance`: sums of the balance transactions, split at their `available_on`.
    @Sendable func balance(_ call: APICall) async throws -> APIResult {
        let now = services.clock.now()
        var amounts = try await services.store.balance(of: call.actingAccount, now: now)
        if amounts.isEmpty {
            let currency = try await services.store.account(call.actingAccount)?.defaultCurrency ?? "usd"
            amounts = [BalanceAmount(currency: currency, available: 0, pending: 0)]
        }
        func funds(_ value: (BalanceAmount) -> Int) -> JSONValue {
            .array(
                amounts.map {
                    [
                        "amount": .int(value($0)), "currency": .string($0.currency),
                        "source_types": ["card": .int(value($0))],
                    ]
                })
        }
        return APIResult(body: [
            "object": "balance", "available": funds(\.available), "pending": funds(\.pending),
            "connect_reserved": .array(amounts.map { ["amount": 0, "currency": .string($0.currency)] }),
            "livemode": false,
        ])
    }

    @Sendable func balanceTransactions(_ call: APICall) async throws -> APIResult {
        let now = services.clock.now()
        let page = try await services.store.balanceTransactions(
            account: call.actingAccount, type: call.params["type"]?.string, source: call.params["source"]?.string,
            created: AccountParams.createdFilter(call.params["created"]), limit: call.params["limit"]?.integer ?? 10,
            cursor: try ListCursor.from(call.params))
        return APIResult(
            body: ListCursor.list(
                page.items.map { $0.rendered(now: now) }, hasMore: page.hasMore, url: "/v1/balance_transactions"))
    }

    @Sendable func balanceTransaction(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        guard let entry = try await services.store.balanceTransaction(id, account: call.actingAccount) else {
            throw ConnectError.noSuch("balance transaction", id)
        }
        return APIResult(body: entry.rendered(now: services.clock.now()))
    }
}
