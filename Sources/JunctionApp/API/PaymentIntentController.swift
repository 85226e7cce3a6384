import ConnectModel
import Hummingbird
import JunctionStorage
import StripeForm

/// Payment intents of the acting account: create (with `confirm=true`), retrieve, update, list,
/// confirm, capture, cancel. Declines are 402 `card_error` carrying the intent (A5, F1, F2).
struct PaymentIntentController: Sendable {
    let services: JunctionServices
    var payments: Payments { Payments(services: services) }

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(services: services)
        endpoint.add(.post, "/v1/payment_intents", to: router, Self.create, create)
        endpoint.add(.get, "/v1/payment_intents", to: router, ObjectParams.list(["customer": ParamSpec(.string)]), list)
        endpoint.add(.get, "/v1/payment_intents/:id", to: router, Self.retrieveSchema, retrieve)
        endpoint.add(.post, "/v1/payment_intents/:id", to: router, Self.update, update)
        endpoint.add(.post, "/v1/payment_intents/:id/confirm", to: router, Self.confirmSchema, confirm)
        endpoint.add(.post, "/v1/payment_intents/:id/capture", to: router, Self.captureSchema, capture)
        endpoint.add(.post, "/v1/payment_intents/:id/cancel", to: router, Self.cancelSchema, cancel)
    }

    static let descriptor = ParamType.string(maxLength: 22)
    static let shared: [String: ParamSpec] = [
        "customer": ParamSpec(.string, unsettable: true),
        "description": ParamSpec(.string(maxLength: 1000), unsettable: true),
        "metadata": ParamSpec(.metadata, unsettable: true),
        "payment_method": ParamSpec(.string),
        "receipt_email": ParamSpec(.string, unsettable: true),
        "statement_descriptor": ParamSpec(descriptor, unsettable: true),
        "statement_descriptor_suffix": ParamSpec(descriptor, unsettable: true),
        "setup_future_usage": ParamSpec(.enumeration(["off_session", "on_session"]), unsettable: true),
        "capture_method": ParamSpec(.enumeration(["automatic", "automatic_async", "manual"])),
        "payment_method_types": ParamSpec(.array(.enumeration(["card"]), maxCount: 10)),
        "application_fee_amount": ParamSpec(.integer(min: 0), unsettable: true),
        "shipping": ParamSpec(ObjectParams.shipping, unsettable: true),
        "payment_method_options": ParamSpec(
            .object([
                "card": ParamSpec(
                    .object([
                        "request_three_d_secure": ParamSpec(.enumeration(["any", "automatic", "challenge"])),
                        "capture_method": ParamSpec(.enumeration(["manual"]), unsettable: true),
                    ]))
            ])),
        "expand": ParamSchema.expand,
    ]
    static let create = ParamSchema(
        shared.merging([
            "amount": ParamSpec(.integer(min: 1, max: 99_999_999), required: true),
            "currency": ParamSpec(.string(maxLength: 3), required: true),
            "confirm": ParamSpec(.boolean),
            "confirmation_method": ParamSpec(.enumeration(["automatic", "manual"])),
            "automatic_payment_methods": ParamSpec(
                .object([
                    "enabled": ParamSpec(.boolean, required: true),
                    "allow_redirects": ParamSpec(.enumeration(["always", "never"])),
                ])),
            "off_session": ParamSpec(.oneOf([.boolean, .enumeration(["one_off", "recurring"])])),
            "return_url": ParamSpec(.string(maxLength: 2000)),
            "error_on_requires_action": ParamSpec(.boolean),
            "use_stripe_sdk": ParamSpec(.boolean),
        ]) { $1 })
    static let update = ParamSchema(
        shared.merging([
            "amount": ParamSpec(.integer(min: 1, max: 99_999_999)), "currency": ParamSpec(.string(maxLength: 3)),
        ]) { $1 })
    static let confirmSchema = ParamSchema([
        "payment_method": ParamSpec(.string),
        "receipt_email": ParamSpec(.string, unsettable: true),
        "return_url": ParamSpec(.string(maxLength: 2000)),
        "off_session": ParamSpec(.oneOf([.boolean, .enumeration(["one_off", "recurring"])])),
        "setup_future_usage": ParamSpec(.enumeration(["off_session", "on_session"]), unsettable: true),
        "capture_method": ParamSpec(.enumeration(["automatic", "automatic_async", "manual"])),
        "error_on_requires_action": ParamSpec(.boolean),
        "use_stripe_sdk": ParamSpec(.boolean),
        "expand": ParamSchema.expand,
    ])
    static let captureSchema = ParamSchema([
        "amount_to_capture": ParamSpec(.integer(min: 1)),
        "application_fee_amount": ParamSpec(.integer(min: 0)),
        "metadata": ParamSpec(.metadata, unsettable: true),
        "expand": ParamSchema.expand,
    ])
    static let cancelSchema = ParamSchema([
        "cancellation_reason": ParamSpec(
            .enumeration(["abandoned", "duplicate", "fraudulent", "requested_by_customer"])),
        "expand": ParamSchema.expand,
    ])
    static let retrieveSchema = ParamSchema(["client_secret": ParamSpec(.string), "expand": ParamSchema.expand])

    /// A new payment intent document (`requires_payment_method`, or `requires_confirmation` with a method).
    static func newIntent(
        id: String, amount: Int, currency: String, context: Payments.Context, paymentMethod: String?,
        applicationFee: Int?,
        manualCapture: Bool = false
    ) -> JSONValue {
        [
            "id": .string(id), "object": "payment_intent", "amount": .int(amount), "amount_capturable": 0,
            "amount_details": ["tip": [:]], "amount_received": 0,
            "application": context.application.map { .string($0.id) } ?? nil,
            "application_fee_amount": applicationFee.map(JSONValue.int) ?? nil, "automatic_payment_methods": nil,
            "canceled_at": nil, "cancellation_reason": nil,
            "capture_method": .string(manualCapture ? "manual" : "automatic"),
            "client_secret": .string("\(id)_secret_\(Identifiers.random(length: 24))"),
            "confirmation_method": "automatic",
            "created": .int(context.now), "currency": .string(currency), "customer": nil, "description": nil,
            "last_payment_error": nil, "latest_charge": nil, "livemode": false, "metadata": [:], "next_action": nil,
            "on_behalf_of": nil, "payment_method": JSONValue(paymentMethod),
            "payment_method_configuration_details": nil,
            "payment_method_options": [
                "card": [
                    "installments": nil, "mandate_options": nil, "network": nil, "request_three_d_secure": "automatic",
                ]
            ],
            "payment_method_types": ["card"], "processing": nil, "receipt_email": nil, "review": nil,
            "setup_future_usage": nil, "shipping": nil, "source": nil, "statement_descriptor": nil,
            "statement_descriptor_suffix": nil,
            "status": .string(paymentMethod == nil ? "requires_payment_method" : "requires_confirmation"),
            "transfer_data": nil, "transfer_group": nil,
        ]
    }

    /// Stripe's minimum charge amounts, in minor units.
    static func minimumAmount(_ currency: String) -> Int {
        [
            "gbp": 30, "jpy": 50, "hkd": 400, "mxn": 1000, "sek": 300, "nok": 300, "dkk": 250, "czk": 1500,
            "huf": 17500,
            "pln": 200, "ron": 200, "bgn": 100, "inr": 50, "thb": 1000, "myr": 200,
        ][currency] ?? 50
    }

    // MARK: Handlers

    @Sendable func create(_ call: APICall) async throws -> APIResult {
        let context = Payments.context(call, now: services.clock.now())
        let amount = call.params["amount"]?.integer ?? 0
        let currency = try Self.currency(call.params["currency"]?.string ?? "")
        guard amount >= Self.minimumAmount(currency) else {
            throw ConnectError.invalid(
                "Amount must be at least \(Self.minimumAmount(currency)) \(currency) minor units.", param: "amount",
                code: "amount_too_small")
        }
        try payments.checkApplicationFee(
            call.params["application_fee_amount"]?.integer, amount: amount, context: context)
        let id = Identifiers.make("pi")
        let methodID = call.params["payment_method"]?.string
        let manual =
            call.params["capture_method"]?.string == "manual"
            || call.params["payment_method_options"]?["card"]?["capture_method"]?.string == "manual"
        var document = Self.newIntent(
            id: id, amount: amount, currency: currency, context: context, paymentMethod: methodID,
            applicationFee: call.params["application_fee_amount"]?.integer, manualCapture: manual)
        if call.params["automatic_payment_methods"]?["enabled"]?.boolean == true {
            document["automatic_payment_methods"] = [
                "allow_redirects": JSONValue(
                    call.params["automatic_payment_methods"]?["allow_redirects"]?.string ?? "always"),
                "enabled": true,
            ]
        }
        if let confirmation = call.params["confirmation_method"]?.string {
            document["confirmation_method"] = .string(confirmation)
        }
        document = document.patched(
            with: ObjectParams.patch(
                call.params,
                leaving: [
                    "amount", "currency", "confirm", "confirmation_method", "automatic_payment_methods", "off_session",
                    "return_url", "error_on_requires_action", "use_stripe_sdk", "capture_method",
                    "payment_method_types",
                    "payment_method_options", "application_fee_amount", "payment_method",
                ]))
        let customerID = call.params["customer"]?.string
        let confirmNow = call.params["confirm"]?.boolean == true
        let initial = document
        let outcome: Payments.Outcome = try await services.store.write { tx in
            if let customerID { try await Self.requireCustomer(customerID, account: context.account, in: tx) }
            var intent = StoredObject(
                id: id, account: context.account, type: "payment_intent", customer: customerID, created: context.now,
                document: initial)
            try await tx.insert(intent)
            try await tx.emit(
                Event(
                    type: "payment_intent.created", account: context.account, created: context.now,
                    object: intent.publicDocument,
                    request: context.request))
            guard confirmNow else { return .done(intent) }
            return try await payments.confirm(&intent, in: tx, context: context)
        }
        return try Self.result(outcome)
    }

    @Sendable func retrieve(_ call: APICall) async throws -> APIResult {
        try await services.retrieveObject(call, type: "payment_intent", noun: "payment_intent")
    }

    @Sendable func update(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let context = Payments.context(call, now: services.clock.now())
        let params = call.params
        let intent = try await services.store.write { tx in
            var intent = try await tx.require(
                id, type: "payment_intent", noun: "payment_intent", account: context.account)
            let status = intent.document["status"]?.stringValue ?? ""
            guard ["requires_payment_method", "requires_confirmation", "requires_action"].contains(status) else {
                throw ConnectError.invalid(
                    "This PaymentIntent's \(params.fields.keys.filter { $0 != "expand" }.sorted().joined(separator: ", ")) could not be updated because it has a status of \(status). You may only update a PaymentIntent with one of the following statuses: requires_payment_method, requires_confirmation, requires_action.",
                    code: "payment_intent_unexpected_state")
            }
            if let customer = params["customer"]?.string {
                try await Self.requireCustomer(customer, account: context.account, in: tx)
                intent.customer = customer
            } else if params["customer"] == .unset {
                intent.customer = nil
            }
            if let currency = params["currency"]?.string {
                intent.document["currency"] = .string(try Self.currency(currency))
            }
            let amount = params["amount"]?.integer ?? intent.document["amount"]?.integer ?? 0
            if params["application_fee_amount"] != nil {
                try payments.checkApplicationFee(
                    params["application_fee_amount"]?.integer, amount: amount, context: context)
            }
            let before = intent.document
            intent.document = before.patched(
                with: ObjectParams.patch(
                    params, leaving: ["currency", "payment_method_types", "payment_method_options"]))
            if params["payment_method"] != nil, intent.document["status"] == "requires_payment_method" {
                intent.document["status"] = "requires_confirmation"
            }
            try await tx.update(
                intent, emitting: "payment_intent.updated", since: before, now: context.now, request: context.request)
            return intent
        }
        return APIResult(body: intent.publicDocument)
    }

    @Sendable func confirm(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let context = Payments.context(call, now: services.clock.now())
        let params = call.params
        let outcome: Payments.Outcome = try await services.store.write { tx in
            var intent = try await tx.require(
                id, type: "payment_intent", noun: "payment_intent", account: context.account)
            if let method = params["payment_method"]?.string { intent.document["payment_method"] = .string(method) }
            if let email = params["receipt_email"]?.string { intent.document["receipt_email"] = .string(email) }
            if let method = params["capture_method"]?.string {
                intent.document["capture_method"] = .string(method == "manual" ? "manual" : "automatic")
            }
            return try await payments.confirm(&intent, in: tx, context: context)
        }
        return try Self.result(outcome)
    }

    @Sendable func capture(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let context = Payments.context(call, now: services.clock.now())
        let params = call.params
        let intent = try await services.store.write { tx in
            var intent = try await tx.require(
                id, type: "payment_intent", noun: "payment_intent", account: context.account)
            try await payments.capture(
                &intent, amount: params["amount_to_capture"]?.integer,
                applicationFee: params["application_fee_amount"]?.integer,
                in: tx, context: context)
            return intent
        }
        return APIResult(body: intent.publicDocument)
    }

    @Sendable func cancel(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let context = Payments.context(call, now: services.clock.now())
        let reason = call.params["cancellation_reason"]?.string
        let intent = try await services.store.write { tx in
            var intent = try await tx.require(
                id, type: "payment_intent", noun: "payment_intent", account: context.account)
            let status = intent.document["status"]?.stringValue ?? ""
            guard
                ["requires_payment_method", "requires_capture", "requires_confirmation", "requires_action"].contains(
                    status)
            else {
                throw ConnectError.invalid(
                    "You cannot cancel this PaymentIntent because it has a status of \(status). Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action.",
                    code: "payment_intent_unexpected_state")
            }
            if status == "requires_capture", let chargeID = intent.document["latest_charge"]?.stringValue,
                var charge = try await tx.object(chargeID, account: context.account)
            {
                // The authorization is released: nothing was captured, so no money moves.
                charge.document["refunded"] = true
                charge.document["amount_refunded"] = charge.document["amount"] ?? 0
                try await tx.update(charge)
            }
            intent.document["status"] = "canceled"
            intent.document["canceled_at"] = .int(context.now)
            intent.document["cancellation_reason"] = JSONValue(reason)
            intent.document["amount_capturable"] = 0
            try await tx.update(intent)
            try await tx.emit(
                Event(
                    type: "payment_intent.canceled", account: context.account, created: context.now,
                    object: intent.publicDocument,
                    request: context.request))
            return intent
        }
        return APIResult(body: intent.publicDocument)
    }

    @Sendable func list(_ call: APICall) async throws -> APIResult {
        try await services.listObjects(
            call, type: "payment_intent", url: "/v1/payment_intents",
            filter: ObjectFilter(customer: call.params["customer"]?.string))
    }

    // MARK: Helpers

    /// A decline becomes the 402 the SDK raises as `CardError`, with the intent attached.
    static func result(_ outcome: Payments.Outcome) throws -> APIResult {
        switch outcome {
        case .done(let intent):
            return APIResult(body: intent.publicDocument)
        case .declined(let intent, let card, let chargeID):
            var error = StripeError.from(card)
            error.extra["payment_intent"] = intent.publicDocument
            error.extra["charge"] = .string(chargeID)
            error.extra["payment_method"] = intent.publicDocument["last_payment_error"]?["payment_method"] ?? nil
            throw error
        }
    }

    static func currency(_ value: String) throws -> String {
        let currency = value.lowercased()
        guard Countries.currencies.contains(currency) else {
            throw ConnectError.invalid(
                "Invalid currency: \(value). Junction supports \(Countries.currencies.sorted().joined(separator: ", ")).",
                param: "currency")
        }
        return currency
    }

    static func requireCustomer(_ id: String, account: String, in tx: any ObjectTransaction) async throws {
        _ = try await tx.require(id, type: "customer", noun: "customer", account: account, param: "customer")
    }
}
