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
        let page = try await services.store.objects(
            account: call.actingAccount, type: "charge",
            filter: ObjectFilter(
                customer: call.params["customer"]?.string, parent: call.params["payment_intent"]?.string,
                created: AccountParams.createdFilter(call.params["created"])),
            limit: call.params["limit"]?.integer ?? 10, cursor: try ListCursor.from(call.params))
        return APIResult(
            body: ListCursor.list(page.items.map(\.publicDocument), hasMore: page.hasMore, url: "/v1/charges"))
    }

    @Sendable func retrieve(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        guard let charge = try await services.store.object(id, account: call.actingAccount), charge.type == "charge"
        else {
            throw ConnectError.noSuch("charge", id)
        }
        return APIResult(body: charge.publicDocument)
    }

    @Sendable func update(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let context = Payments.context(call, now: services.clock.now())
        let patch = ObjectParams.patch(call.params)
        let charge = try await services.store.write { tx in
            guard var charge = try await tx.object(id, account: context.account), charge.type == "charge" else {
                throw ConnectError.noSuch("charge", id)
            }
            let before = charge.publicDocument
            charge.document = charge.document.patched(with: patch)
            try await tx.update(charge)
            if let previous = charge.publicDocument.previousAttributes(before: before) {
                try await tx.emit(
                    Event(
                        type: "charge.updated", account: context.account, created: context.now,
                        object: charge.publicDocument,
                        previousAttributes: previous, request: context.request))
            }
            return charge
        }
        return APIResult(body: charge.publicDocument)
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
