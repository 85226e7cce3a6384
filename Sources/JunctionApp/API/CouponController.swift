import ConnectModel
import Hummingbird
import JunctionDomain
import StripeForm

/// Coupons of the acting account: create, retrieve, update (`name`, `metadata`), list, delete.
struct CouponController: Sendable {
    let dependencies: Dependencies

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(dependencies: dependencies)
        let handlers = ResourceHandlers(dependencies: dependencies)
        endpoint.add(.post, "/v1/coupons", to: router, Self.create, create)
        endpoint.add(.get, "/v1/coupons", to: router, CommonParams.list(), list)
        endpoint.add(.get, "/v1/coupons/:id", to: router, CommonParams.expandOnly, retrieve)
        endpoint.add(.post, "/v1/coupons/:id", to: router, Self.update, handlers.update(.coupon))
        endpoint.add(.delete, "/v1/coupons/:id", to: router, ParamSchema([:]), handlers.delete(.coupon))
    }

    static let create = ParamSchema([
        "id": ParamSpec(.string(maxLength: 5_000)),
        "percent_off": ParamSpec(CommonParams.decimal),
        "amount_off": ParamSpec(.integer()),
        "currency": ParamSpec(.string(maxLength: 3)),
        "duration": ParamSpec(.enumeration(CouponDuration.allCases.map(\.rawValue))),
        "duration_in_months": ParamSpec(.integer()),
        "max_redemptions": ParamSpec(.integer()),
        "redeem_by": ParamSpec(.integer()),
        "name": ParamSpec(.string(maxLength: 40)),
        "metadata": CommonParams.metadata,
        "expand": ParamSchema.expand,
    ])
    static let update = ParamSchema([
        "name": ParamSpec(.string(maxLength: 40), unsettable: true),
        "metadata": CommonParams.metadata,
        "expand": ParamSchema.expand,
    ])

    @Sendable func create(_ call: APICall) async throws -> APIResult {
        let params = call.params
        let creation = Coupons.Creation(
            id: params["id"]?.string,
            percentOff: try CommonParams.decimal(params["percent_off"], param: "percent_off", in: 0...100),
            amountOff: params["amount_off"]?.integer, currency: params["currency"]?.string,
            duration: params["duration"]?.string.flatMap(CouponDuration.init) ?? .once,
            durationInMonths: params["duration_in_months"]?.integer, maxRedemptions: params["max_redemptions"]?.integer,
            redeemBy: params["redeem_by"]?.integer, name: params["name"]?.string,
            metadata: params["metadata"].map(CommonParams.json) ?? [:])
        return APIResult(try await dependencies.coupons.create(creation, caller: call.caller))
    }

    /// Retrieve and list show `valid` as of now.
    @Sendable func retrieve(_ call: APICall) async throws -> APIResult {
        let coupon = try await dependencies.objects.retrieve(.coupon, try call.path(), account: call.actingAccount)
        return APIResult(body: Coupons.current(coupon, now: call.now))
    }

    @Sendable func list(_ call: APICall) async throws -> APIResult {
        let page = try await dependencies.objects.list(.coupon, account: call.actingAccount, page: try call.page())
        let coupons = page.items.map { Coupons.current($0.publicDocument, now: call.now) }
        return APIResult(body: ListEnvelope.list(coupons, hasMore: page.hasMore, url: Resource.coupon.path))
    }
}
