import ConnectModel
import Hummingbird
import JunctionDomain
import StripeForm

/// Subscriptions of the acting account and their invoices (A5); billing is the domain's
/// ``Subscriptions``.
struct SubscriptionController: Sendable {
    let dependencies: Dependencies
    var subscriptions: Subscriptions { dependencies.subscriptions }

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(dependencies: dependencies)
        let handlers = ResourceHandlers(dependencies: dependencies)
        endpoint.add(.post, "/v1/subscriptions", to: router, Self.create, create)
        endpoint.add(
            .get, "/v1/subscriptions", to: router,
            CommonParams.list([
                "customer": ParamSpec(.string),
                "status": ParamSpec(
                    .enumeration((["all", "ended"] + SubscriptionStatus.allCases.map(\.rawValue)).sorted())),
            ]),
            handlers.list(.subscription) {
                Subscriptions.filter(customer: $0["customer"]?.string, status: $0["status"]?.string)
            })
        endpoint.add(
            .get, "/v1/subscriptions/:id", to: router, CommonParams.expandOnly, handlers.retrieve(.subscription))
        endpoint.add(.post, "/v1/subscriptions/:id", to: router, Self.update, update)
        endpoint.add(.delete, "/v1/subscriptions/:id", to: router, Self.cancelSchema, cancel)
        endpoint.add(
            .get, "/v1/invoices", to: router,
            CommonParams.list(["customer": ParamSpec(.string), "subscription": ParamSpec(.string)]),
            handlers.list(.invoice) {
                ObjectFilter(customer: $0["customer"]?.string, parent: $0["subscription"]?.string)
            })
        endpoint.add(.get, "/v1/invoices/:id", to: router, CommonParams.expandOnly, handlers.retrieve(.invoice))
        endpoint.add(
            .get, "/v1/invoices/:id/lines", to: router, CommonParams.list(), handlers.embeddedList(.invoice, "lines"))
        endpoint.add(.post, "/v1/invoices/:id/pay", to: router, Self.pay, pay)
    }

    static let paymentBehavior = ParamSpec(
        .enumeration(["allow_incomplete", "default_incomplete", "error_if_incomplete", "pending_if_incomplete"]))
    static let item = ParamType.object([
        "price": ParamSpec(.string, required: true), "quantity": ParamSpec(.integer(min: 1, max: 1_000_000)),
        "metadata": ParamSpec(.metadata),
    ])
    static let feePercent = CommonParams.decimal
    static let create = ParamSchema(
        [
            "customer": ParamSpec(.string, required: true),
            "items": ParamSpec(.array(item, maxCount: 20), required: true),
            "default_payment_method": ParamSpec(.string),
            "payment_behavior": paymentBehavior,
            "collection_method": collectionMethod,
            "days_until_due": daysUntilDue,
            "payment_settings": paymentSettings,
            "application_fee_percent": ParamSpec(feePercent),
            "transfer_data": ParamSpec(
                .object([
                    "destination": ParamSpec(.string, required: true),
                    "amount_percent": ParamSpec(CommonParams.decimal),
                ])),
            "cancel_at_period_end": ParamSpec(.boolean),
            "trial_period_days": ParamSpec(.integer(min: 0, max: 730)),
            "description": ParamSpec(.string(maxLength: 500)),
            "metadata": CommonParams.metadata,
            "off_session": ParamSpec(.boolean),
            "proration_behavior": ParamSpec(.enumeration(ProrationBehavior.allCases.map(\.rawValue))),
            "expand": ParamSchema.expand,
        ].merging(discountParams) { $1 })
    static let update = ParamSchema(
        [
            "items": ParamSpec(
                .array(
                    .object([
                        "id": ParamSpec(.string), "price": ParamSpec(.string),
                        "quantity": ParamSpec(.integer(min: 1, max: 1_000_000)),
                        "deleted": ParamSpec(.boolean), "metadata": ParamSpec(.metadata),
                    ]), maxCount: 20)),
            "default_payment_method": ParamSpec(.string, unsettable: true),
            "cancel_at_period_end": ParamSpec(.boolean),
            "application_fee_percent": ParamSpec(feePercent, unsettable: true),
            "description": ParamSpec(.string(maxLength: 500), unsettable: true),
            "metadata": CommonParams.metadata,
            "proration_behavior": ParamSpec(.enumeration(ProrationBehavior.allCases.map(\.rawValue))),
            "payment_behavior": paymentBehavior,
            "collection_method": collectionMethod,
            "days_until_due": daysUntilDue,
            "payment_settings": paymentSettings,
            "expand": ParamSchema.expand,
        ].merging(discountParams) { $1 })
    static let paymentSettings = ParamSpec(
        .object([
            "save_default_payment_method": ParamSpec(.enumeration(["off", "on_subscription"])),
            "payment_method_types": ParamSpec(.array(.string), unsettable: true),
        ]))
    static let collectionMethod = ParamSpec(.enumeration(CollectionMethod.allCases.map(\.rawValue)))
    static let daysUntilDue = ParamSpec(.integer(min: 0, max: 10_000), unsettable: true)
    static let pay = ParamSchema([
        "payment_method": ParamSpec(.string), "paid_out_of_band": ParamSpec(.boolean),
        "off_session": ParamSpec(.boolean), "forgive": ParamSpec(.boolean), "source": ParamSpec(.string),
        "expand": ParamSchema.expand,
    ])
    static let cancelSchema = ParamSchema([
        "invoice_now": ParamSpec(.boolean), "prorate": ParamSpec(.boolean),
        "cancellation_details": ParamSpec(
            .object([
                "comment": ParamSpec(.string(maxLength: 500), unsettable: true),
                "feedback": ParamSpec(
                    .enumeration([
                        "customer_service", "low_quality", "missing_features", "other", "switched_service",
                        "too_complex", "too_expensive", "unused",
                    ])),
            ])),
        "expand": ParamSchema.expand,
    ])

    /// Discounts Stripe takes on a subscription. Junction has coupons but does not apply them
    /// yet: these are read so the answer can say so, rather than "unknown parameter".
    static let discountParams: [String: ParamSpec] = [
        "coupon": ParamSpec(.string), "promotion_code": ParamSpec(.string),
        "discounts": ParamSpec(
            .array(
                .object([
                    "coupon": ParamSpec(.string), "discount": ParamSpec(.string),
                    "promotion_code": ParamSpec(.string),
                ])), unsettable: true),
    ]

    static func refuseDiscounts(_ params: Params) throws {
        for name in ["coupon", "promotion_code", "discounts"] where params[name] != nil && params[name] != .unset {
            throw JunctionError.invalid(
                "Junction does not apply discounts to subscriptions yet, so \(name) cannot be used here. Create or update the subscription without it; coupons themselves can be created and managed at /v1/coupons.",
                param: name)
        }
    }

    @Sendable func create(_ call: APICall) async throws -> APIResult {
        let params = call.params
        try Self.refuseDiscounts(params)
        var creation = Subscriptions.Creation(
            customer: params["customer"]?.string ?? "",
            items: (params["items"]?.array ?? []).map { ($0["price"]?.string ?? "", $0["quantity"]?.integer) },
            defaultPaymentMethod: params["default_payment_method"]?.string,
            paymentBehavior: params["payment_behavior"]?.string.flatMap(Subscriptions.PaymentBehavior.init)
                ?? .allowIncomplete,
            applicationFeePercent: try Self.percent(params["application_fee_percent"]),
            cancelAtPeriodEnd: params["cancel_at_period_end"]?.boolean ?? false,
            trialPeriodDays: params["trial_period_days"]?.integer ?? 0, description: params["description"]?.string,
            metadata: params["metadata"].map(CommonParams.json) ?? [:],
            collectionMethod: params["collection_method"]?.string.flatMap(CollectionMethod.init)
                ?? .chargeAutomatically,
            daysUntilDue: params["days_until_due"]?.integer,
            paymentSettings: params["payment_settings"].map(CommonParams.json))
        if let destination = params["transfer_data"]?["destination"]?.string {
            let account = try await dependencies.destinationAccount(
                destination, for: call, param: "transfer_data[destination]")
            creation.destination = DestinationCharge(
                account: account, amount: nil, application: call.principal.application)
            creation.transferPercent = try CommonParams.decimal(
                params["transfer_data"]?["amount_percent"], param: "transfer_data[amount_percent]", in: 0...100)
        }
        return APIResult(try await subscriptions.create(creation, caller: call.caller))
    }

    @Sendable func pay(_ call: APICall) async throws -> APIResult {
        let params = call.params
        if params["source"] != nil {
            throw JunctionError.invalid(
                "Junction pays invoices with payment methods: pass `payment_method` (sources are not supported).",
                param: "source")
        }
        return APIResult(
            try await dependencies.invoices.pay(
                try call.path(), paymentMethod: params["payment_method"]?.string,
                paidOutOfBand: params["paid_out_of_band"]?.boolean ?? false, caller: call.caller))
    }

    @Sendable func update(_ call: APICall) async throws -> APIResult {
        let params = call.params
        try Self.refuseDiscounts(params)
        var fields = call.patch(
            leaving: [
                "items", "cancel_at_period_end", "application_fee_percent", "proration_behavior", "payment_behavior",
            ])
        if params["application_fee_percent"] != nil {
            fields["application_fee_percent"] =
                try Self.percent(params["application_fee_percent"]).map(JSONValue.double) ?? .null
        }
        let items = params["items"]?.array?.map {
            Subscriptions.ItemChange(
                id: $0["id"]?.string, price: $0["price"]?.string, quantity: $0["quantity"]?.integer,
                deleted: $0["deleted"]?.boolean == true)
        }
        return APIResult(
            try await subscriptions.update(
                try call.path(), items: items, cancelAtPeriodEnd: params["cancel_at_period_end"]?.boolean,
                fields: fields,
                proration: params["proration_behavior"]?.string.flatMap(ProrationBehavior.init) ?? .createProrations,
                paymentBehavior: params["payment_behavior"]?.string.flatMap(Subscriptions.PaymentBehavior.init)
                    ?? .allowIncomplete,
                caller: call.caller))
    }

    @Sendable func cancel(_ call: APICall) async throws -> APIResult {
        let details = call.params["cancellation_details"]
        return APIResult(
            try await subscriptions.cancel(
                try call.path(), comment: details?["comment"]?.string, feedback: details?["feedback"]?.string,
                caller: call.caller))
    }

    /// `application_fee_percent` as a number from 0 to 100 (Stripe allows two decimals).
    static func percent(_ value: ParamValue?) throws -> Double? {
        try CommonParams.decimal(value, param: "application_fee_percent", in: 0...100)
    }
}
