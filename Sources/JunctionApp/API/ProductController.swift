import ConnectModel
import Hummingbird
import JunctionStorage
import StripeForm

/// Products and prices of the acting account (A5): one-time and recurring prices.
struct ProductController: Sendable {
    let services: JunctionServices

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(services: services)
        endpoint.add(.post, "/v1/products", to: router, Self.createProduct, createProduct)
        endpoint.add(.get, "/v1/products", to: router, ObjectParams.list(["active": ParamSpec(.boolean)]), listProducts)
        endpoint.add(.get, "/v1/products/:id", to: router, ObjectParams.expandOnly, retrieveProduct)
        endpoint.add(.post, "/v1/products/:id", to: router, Self.updateProduct, updateProduct)
        endpoint.add(.delete, "/v1/products/:id", to: router, ParamSchema([:]), deleteProduct)
        endpoint.add(.post, "/v1/prices", to: router, Self.createPrice, createPrice)
        endpoint.add(
            .get, "/v1/prices", to: router,
            ObjectParams.list(["active": ParamSpec(.boolean), "product": ParamSpec(.string)]), listPrices)
        endpoint.add(.get, "/v1/prices/:id", to: router, ObjectParams.expandOnly, retrievePrice)
        endpoint.add(.post, "/v1/prices/:id", to: router, Self.updatePrice, updatePrice)
    }

    static let productFields: [String: ParamSpec] = [
        "name": ParamSpec(.string(maxLength: 250)),
        "active": ParamSpec(.boolean),
        "description": ParamSpec(.string(maxLength: 40_000), unsettable: true),
        "images": ParamSpec(.array(.string(maxLength: 2048), maxCount: 8), unsettable: true),
        "metadata": ParamSpec(.metadata, unsettable: true),
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
        "usage_type": ParamSpec(.enumeration(["licensed"])),
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
        "metadata": ParamSpec(.metadata, unsettable: true),
        "tax_behavior": ParamSpec(.enumeration(["exclusive", "inclusive", "unspecified"])),
        "billing_scheme": ParamSpec(.enumeration(["per_unit"])),
        "expand": ParamSchema.expand,
    ])
    static let updatePrice = ParamSchema([
        "active": ParamSpec(.boolean), "metadata": ParamSpec(.metadata, unsettable: true),
        "nickname": ParamSpec(.string(maxLength: 250), unsettable: true),
        "lookup_key": ParamSpec(.string(maxLength: 200), unsettable: true),
        "tax_behavior": ParamSpec(.enumeration(["exclusive", "inclusive", "unspecified"])),
        "expand": ParamSchema.expand,
    ])

    // MARK: Products

    static func productDocument(id: String, name: String, now: Int) -> JSONValue {
        [
            "id": .string(id), "object": "product", "active": true, "attributes": [], "created": .int(now),
            "default_price": nil, "description": nil, "images": [], "livemode": false, "marketing_features": [],
            "metadata": [:], "name": .string(name), "package_dimensions": nil, "shippable": nil,
            "statement_descriptor": nil, "tax_code": nil, "type": "service", "unit_label": nil, "updated": .int(now),
            "url": nil,
        ]
    }

    @Sendable func createProduct(_ call: APICall) async throws -> APIResult {
        let now = services.clock.now()
        let context = Payments.context(call, now: now)
        let id = call.params["id"]?.string ?? Identifiers.make("prod")
        let document = Self.productDocument(id: id, name: call.params["name"]?.string ?? "", now: now)
            .patched(with: ObjectParams.patch(call.params, leaving: ["id"]))
        let product = StoredObject(
            id: id, account: context.account, type: "product", lookup: Self.activeKey(document), created: now,
            document: document)
        do {
            try await services.store.write { tx in
                try await tx.insert(product)
                try await tx.emit(
                    Event(
                        type: "product.created", account: context.account, created: now, object: document,
                        request: context.request))
            }
        } catch  where call.params["id"] != nil {
            throw ConnectError.invalid("Product already exists.", param: "id", code: "resource_already_exists")
        }
        return APIResult(body: product.publicDocument)
    }

    @Sendable func retrieveProduct(_ call: APICall) async throws -> APIResult {
        let product = try await services.loadObject(
            try call.context.parameters.require("id"), type: "product", noun: "product", account: call.actingAccount)
        if product.deleted {
            return APIResult(body: ["id": .string(product.id), "object": "product", "deleted": true])
        }
        return APIResult(body: product.publicDocument)
    }

    @Sendable func updateProduct(_ call: APICall) async throws -> APIResult {
        try await update(call, type: "product", noun: "product", event: "product.updated") { product, tx, account in
            if let price = call.params["default_price"]?.string {
                guard let found = try await tx.object(price, account: account), found.type == "price",
                    found.parent == product.id
                else {
                    throw ConnectError.noSuch("price", price, param: "default_price")
                }
            }
        }
    }

    @Sendable func deleteProduct(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let account = call.actingAccount
        let prices = try await services.store.objects(
            account: account, type: "price", filter: ObjectFilter(parent: id), limit: 1, cursor: .first)
        guard prices.items.isEmpty else {
            throw ConnectError.invalid(
                "This product cannot be deleted because it has one or more user-created prices.",
                code: "product_has_prices")
        }
        let now = services.clock.now()
        let request = call.requestInfo
        try await services.store.write { tx in
            var product = try await tx.require(id, type: "product", noun: "product", account: account)
            product.deleted = true
            try await tx.update(product)
            try await tx.emit(
                Event(
                    type: "product.deleted", account: account, created: now, object: product.publicDocument,
                    request: request))
        }
        return APIResult(body: ["id": .string(id), "object": "product", "deleted": true])
    }

    @Sendable func listProducts(_ call: APICall) async throws -> APIResult {
        try await services.listObjects(
            call, type: "product", url: "/v1/products", filter: ObjectFilter(lookup: Self.activeFilter(call)))
    }

    // MARK: Prices

    @Sendable func createPrice(_ call: APICall) async throws -> APIResult {
        let now = services.clock.now()
        let context = Payments.context(call, now: now)
        let params = call.params
        let currency = try PaymentIntentController.currency(params["currency"]?.string ?? "")
        guard let unitAmount = params["unit_amount"]?.integer else { throw ConnectError.missing("unit_amount") }
        guard (params["product"] == nil) != (params["product_data"] == nil) else {
            throw ConnectError.invalid("Specify exactly one of product or product_data.", param: "product")
        }
        let id = Identifiers.make("price")
        let recurring = params["recurring"].map { value -> JSONValue in
            [
                "interval": JSONValue(value["interval"]?.string),
                "interval_count": .int(value["interval_count"]?.integer ?? 1),
                "meter": nil, "trial_period_days": value["trial_period_days"]?.integer.map(JSONValue.int) ?? nil,
                "usage_type": "licensed",
            ]
        }
        let price = try await services.store.write { tx in
            var productID = params["product"]?.string
            if let data = params["product_data"] {
                let newID = Identifiers.make("prod")
                let document = Self.productDocument(id: newID, name: data["name"]?.string ?? "", now: now)
                    .patched(with: AccountParams.json(data))
                try await tx.insert(
                    StoredObject(
                        id: newID, account: context.account, type: "product", lookup: Self.activeKey(document),
                        created: now, document: document))
                productID = newID
            } else if let productID {
                guard let product = try await tx.object(productID, account: context.account), product.type == "product",
                    !product.deleted
                else { throw ConnectError.noSuch("product", productID, param: "product") }
            }
            let document: JSONValue = JSONValue.object([
                "id": .string(id), "object": "price", "active": true, "billing_scheme": "per_unit",
                "created": .int(now),
                "currency": .string(currency), "custom_unit_amount": nil, "livemode": false, "lookup_key": nil,
                "metadata": [:],
                "nickname": nil, "product": JSONValue(productID), "recurring": recurring ?? nil,
                "tax_behavior": "unspecified", "tiers_mode": nil, "transform_quantity": nil,
                "type": recurring == nil ? "one_time" : "recurring", "unit_amount": .int(unitAmount),
                "unit_amount_decimal": .string(String(unitAmount)),
            ]).patched(
                with: ObjectParams.patch(
                    params,
                    leaving: ["currency", "unit_amount", "product", "product_data", "recurring", "billing_scheme"]))
            let price = StoredObject(
                id: id, account: context.account, type: "price", parent: productID, lookup: Self.activeKey(document),
                created: now,
                document: document)
            try await tx.insert(price)
            try await tx.emit(
                Event(
                    type: "price.created", account: context.account, created: now, object: document,
                    request: context.request))
            return price
        }
        return APIResult(body: price.publicDocument)
    }

    @Sendable func retrievePrice(_ call: APICall) async throws -> APIResult {
        try await services.retrieveObject(call, type: "price", noun: "price")
    }

    @Sendable func updatePrice(_ call: APICall) async throws -> APIResult {
        try await update(call, type: "price", noun: "price", event: "price.updated") { _, _, _ in }
    }

    @Sendable func listPrices(_ call: APICall) async throws -> APIResult {
        try await services.listObjects(
            call, type: "price", url: "/v1/prices",
            filter: ObjectFilter(parent: call.params["product"]?.string, lookup: Self.activeFilter(call)))
    }

    // MARK: Helpers

    /// Products and prices are listed by `active`, kept in the indexed lookup column.
    static func activeKey(_ document: JSONValue) -> String { document["active"] == false ? "inactive" : "active" }

    private func update(
        _ call: APICall, type: String, noun: String, event: String,
        check: @escaping @Sendable (StoredObject, any ObjectTransaction, String) async throws -> Void
    ) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let context = Payments.context(call, now: services.clock.now())
        let patch = ObjectParams.patch(call.params)
        let object = try await services.store.write { tx in
            try await tx.patch(
                id, type: type, noun: noun, account: context.account, with: patch, event: event, now: context.now,
                request: context.request
            ) { object in
                try await check(object, tx, context.account)
                if type == "product" { object.document["updated"] = .int(context.now) }
                object.lookup = Self.activeKey(object.document)
            }
        }
        return APIResult(body: object.publicDocument)
    }

    /// `active=true|false` as the lookup value products and prices are indexed by.
    static func activeFilter(_ call: APICall) -> String? {
        call.params["active"]?.boolean.map { $0 ? "active" : "inactive" }
    }

}
