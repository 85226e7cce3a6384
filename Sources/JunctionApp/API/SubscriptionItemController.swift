import ConnectModel
import Hummingbird
import JunctionDomain
import StripeForm

/// `/v1/subscription_items`: one item of a subscription at a time (A5), prorated as item changes
/// of the subscription are (`proration_behavior`).
struct SubscriptionItemController: Sendable {
    let dependencies: Dependencies
    var items: SubscriptionItems { SubscriptionItems(store: dependencies.store) }

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(dependencies: dependencies)
        endpoint.add(.post, "/v1/subscription_items", to: router, Self.create, create)
        endpoint.add(
            .get, "/v1/subscription_items", to: router,
            CommonParams.list(["subscription": ParamSpec(.string, required: true)]), list)
        endpoint.add(.get, "/v1/subscription_items/:id", to: router, CommonParams.expandOnly, retrieve)
        endpoint.add(.post, "/v1/subscription_items/:id", to: router, Self.update, update)
        endpoint.add(.delete, "/v1/subscription_items/:id", to: router, Self.delete, delete)
    }

    static let changeFields: [String: ParamSpec] = [
        "price": ParamSpec(.string), "quantity": ParamSpec(.integer(min: 1, max: 1_000_000)),
        "metadata": CommonParams.metadata, "payment_behavior": SubscriptionController.paymentBehavior,
        "proration_behavior": ParamSpec(.enumeration(ProrationBehavior.allCases.map(\.rawValue))),
        "expand": ParamSchema.expand,
    ]
    static let create = ParamSchema(
        changeFields.merging([
            "subscription": ParamSpec(.string, required: true), "price": ParamSpec(.string, required: true),
        ]) { $1 })
    static let update = ParamSchema(changeFields)
    static let delete = ParamSchema([
        "proration_behavior": ParamSpec(.enumeration(ProrationBehavior.allCases.map(\.rawValue))),
        "clear_usage": ParamSpec(.boolean),
    ])

    @Sendable func create(_ call: APICall) async throws -> APIResult {
        let params = call.params
        return APIResult(
            body: try await items.create(
                subscription: params["subscription"]?.string ?? "", price: params["price"]?.string ?? "",
                quantity: params["quantity"]?.integer, metadata: params["metadata"].map(CommonParams.json),
                proration: Self.proration(params), caller: call.caller))
    }

    /// The items of one subscription, in its order.
    @Sendable func list(_ call: APICall) async throws -> APIResult {
        let id = call.params["subscription"]?.string ?? ""
        let subscription = try await dependencies.objects.load(
            .subscription, id, account: call.actingAccount, param: "subscription")
        let items = subscription.publicDocument["items"]?["data"]?.arrayItems ?? []
        return APIResult(
            body: try ListEnvelope.page(
                of: items, request: try call.page(), url: "/v1/subscription_items?subscription=\(id)"))
    }

    @Sendable func retrieve(_ call: APICall) async throws -> APIResult {
        APIResult(body: try await items.find(try call.path(), account: call.actingAccount).1)
    }

    @Sendable func update(_ call: APICall) async throws -> APIResult {
        let params = call.params
        return APIResult(
            body: try await items.update(
                try call.path(), price: params["price"]?.string, quantity: params["quantity"]?.integer,
                metadata: params["metadata"].map(CommonParams.json), proration: Self.proration(params),
                caller: call.caller))
    }

    @Sendable func delete(_ call: APICall) async throws -> APIResult {
        APIResult(
            body: try await items.delete(try call.path(), proration: Self.proration(call.params), caller: call.caller))
    }

    static func proration(_ params: Params) -> ProrationBehavior {
        params["proration_behavior"]?.string.flatMap(ProrationBehavior.init) ?? .createProrations
    }
}
