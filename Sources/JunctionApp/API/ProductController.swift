import ConnectModel
import Hummingbird
import JunctionDomain
import StripeForm

/// Products and prices of the acting account (A5): one-time and recurring prices.
struct ProductController: Sendable {
    let dependencies: Dependencies

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(dependencies: dependencies)
        let handlers = ResourceHandlers(dependencies: dependencies)
        endpoint.add(.post, "/v1/products", to: router, Self.createProduct, createProduct)
        endpoint.add(
            .get, "/v1/products", to: router, CommonParams.list(["active": ParamSpec(.boolean)]),
            handlers.list(.product) { Products.filter(active: $0["active"]?.boolean) })
        endpoint.add(.get, "/v1/products/:id", to: router, CommonParams.expandOnly, handlers.retrieve(.product))
        endpoint.add(.post, "/v1/products/:id", to: router, Self.updateProduct, updateProduct)
        endpoint.add(.delete, "/v1/products/:id", to: router, ParamSchema([:]), deleteProduct)
        // Product features (entitlements) are not kept yet: the list is empty.
        endpoint.add(
            .get, "/v1/products/:id/features", to: router, CommonParams.list(),
            handlers.emptyList(.product, "features"))
        endpoint.add(.post, "/v1/prices", to: router, Self.createPrice, createPrice)
        endpoint.add(
            .get, "/v1/prices", to: router,
            CommonParams.list(["active": ParamSpec(.boolean), "product": ParamSpec(.string)]),
            handlers.list(.price) { params in
                var filter = Products.filter(active: params["active"]?.boolean)
                filter.parent = params["product"]?.string
                return filter
            })
        endpoint.add(.get, "/v1/prices/:id", to: router, CommonParams.expandOnly, handlers.retrieve(.price))
        endpoint.add(.post, "/v1/prices/:id", to: router, Self.updatePrice, handlers.update(.price))
    }

    static let productFields: [String: ParamSpec] = [
        "name": ParamSpec(.string(maxLength: 250)),
        "active": ParamSpec(.boolean),
        "description": ParamSpec(.string(maxLength: 40_000), unsettable: true),
        "images": ParamSpec(.array(.string(maxLength: 2048), maxCount: 8), unsettable: true),
        "metadata": CommonParams.metadata,
        "statement_descriptor": ParamSpec(.string(maxLength: 22), unsettable: true),
        "unit_label": ParamSpec(.string(maxLength: 12), unsettable: true),
        "url": ParamSpec(.string(maxLength: 2048), unsettable: true),
        "tax_code": ParamSpec(.string, unsettable: true),
        "shippable": ParamSpec(.boolean),
        "expand": ParamSchema.expand,
    ]
    static let createProduct = ParamSchema(
        productFields.merging([
            "name": ParamSpec(.string(maxLength: 250), required: true), "id": ParamSpec(.string(maxLength: 255)),
        ]) { $1 })
    static let updateProduct = ParamSchema(productFields.merging(["default_price": ParamSpec(.string)]) { $1 })

    static let recurring = ParamType.object([
        "interval": ParamSpec(.enumeration(["day", "week", "month", "year"]), required: true),
        "interval_count": ParamSpec(.integer(min: 1, max: 365)),
        "usage_type": ParamSpec(.enumeration(["licensed", "metered"])),
        "meter": ParamSpec(.string),
        "trial_period_days": ParamSpec(.integer(min: 0, max: 730)),
    ])
    static let createPrice = ParamSchema([
        "currency": ParamSpec(.string(maxLength: 3), required: true),
        "unit_amount": ParamSpec(.integer(min: 0, max: 99_999_999)),
        "product": ParamSpec(.string),
        "product_data": ParamSpec(
            .object([
                "name": ParamSpec(.string(maxLength: 250), required: true), "metadata": ParamSpec(.metadata),
                "active": ParamSpec(.boolean), "statement_descriptor": ParamSpec(.string(maxLength: 22)),
                "unit_label": ParamSpec(.string(maxLength: 12)),
            ])),
        "recurring": ParamSpec(recurring),
        "nickname": ParamSpec(.string(maxLength: 250)),
        "lookup_key": ParamSpec(.string(maxLength: 200)),
        "active": ParamSpec(.boolean),
        "metadata": CommonParams.metadata,
        "tax_behavior": ParamSpec(.enumeration(["exclusive", "inclusive", "unspecified"])),
        "billing_scheme": ParamSpec(.enumeration(BillingScheme.allCases.map(\.rawValue))),
        "tiers_mode": ParamSpec(.enumeration(TiersMode.allCases.map(\.rawValue))),
        "tiers": ParamSpec(.array(tier, maxCount: 250)),
        "expand": ParamSchema.expand,
    ])
    static let tier = ParamType.object([
        "up_to": ParamSpec(.oneOf([.enumeration(["inf"]), .integer(min: 1)]), required: true),
        "unit_amount": ParamSpec(.integer(min: 0)), "unit_amount_decimal": ParamSpec(CommonParams.decimal),
        "flat_amount": ParamSpec(.integer(min: 0)), "flat_amount_decimal": ParamSpec(CommonParams.decimal),
    ])
    static let updatePrice = ParamSchema([
        "active": ParamSpec(.boolean), "metadata": CommonParams.metadata,
        "nickname": ParamSpec(.string(maxLength: 250), unsettable: true),
        "lookup_key": ParamSpec(.string(maxLength: 200), unsettable: true),
        "tax_behavior": ParamSpec(.enumeration(["exclusive", "inclusive", "unspecified"])),
        "expand": ParamSchema.expand,
    ])

    @Sendable func createProduct(_ call: APICall) async throws -> APIResult {
        APIResult(
            try await dependencies.products.create(
                id: call.params["id"]?.string, name: call.params["name"]?.string ?? "",
                fields: call.patch(leaving: ["id"]),
                caller: call.caller))
    }

    @Sendable func updateProduct(_ call: APICall) async throws -> APIResult {
        APIResult(try await dependencies.products.update(try call.path(), patch: call.patch(), caller: call.caller))
    }

    @Sendable func deleteProduct(_ call: APICall) async throws -> APIResult {
        APIResult(body: try await dependencies.products.delete(try call.path(), caller: call.caller))
    }

    @Sendable func createPrice(_ call: APICall) async throws -> APIResult {
        let params = call.params
        let creation = Prices.Creation(
            currency: params["currency"]?.string ?? "", unitAmount: params["unit_amount"]?.integer,
            product: params["product"]?.string, productData: params["product_data"].map(CommonParams.json),
            recurring: params["recurring"].map(CommonParams.json),
            billingScheme: params["billing_scheme"]?.string.flatMap(BillingScheme.init(rawValue:)),
            tiersMode: params["tiers_mode"]?.string.flatMap(TiersMode.init(rawValue:)),
            tiers: params["tiers"]?.array?.map(CommonParams.json),
            fields: call.patch(
                leaving: [
                    "currency", "unit_amount", "product", "product_data", "recurring", "billing_scheme", "tiers_mode",
                    "tiers",
                ]))
        return APIResult(try await dependencies.prices.create(creation, caller: call.caller))
    }
}
