import ConnectModel
import Hummingbird
import JunctionDomain
import StripeForm

/// Payment intents of the acting account: create (with `confirm=true`), retrieve, update, list,
/// confirm, capture, cancel. Declines are 402 `card_error` carrying the intent (A5, F1, F2).
struct PaymentIntentController: Sendable {
    let dependencies: Dependencies
    var intents: PaymentIntents { dependencies.paymentIntents }

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(dependencies: dependencies)
        let handlers = ResourceHandlers(dependencies: dependencies)
        endpoint.add(.post, "/v1/payment_intents", to: router, Self.create, create)
        endpoint.add(
            .get, "/v1/payment_intents", to: router, CommonParams.list(["customer": ParamSpec(.string)]),
            handlers.list(.paymentIntent) { ObjectFilter(customer: $0["customer"]?.string) })
        endpoint.add(
            .get, "/v1/payment_intents/:id", to: router, Self.retrieveSchema, handlers.retrieve(.paymentIntent))
        endpoint.add(.post, "/v1/payment_intents/:id", to: router, Self.update, update)
        endpoint.add(.post, "/v1/payment_intents/:id/confirm", to: router, Self.confirmSchema, confirm)
        endpoint.add(.post, "/v1/payment_intents/:id/capture", to: router, Self.captureSchema, capture)
        endpoint.add(.post, "/v1/payment_intents/:id/cancel", to: router, Self.cancelSchema, cancel)
    }

    static let descriptor = ParamType.string(maxLength: 22)
    static let shared: [String: ParamSpec] = [
        "customer": ParamSpec(.string, unsettable: true),
        "description": ParamSpec(.string(maxLength: 1000), unsettable: true),
        "metadata": CommonParams.metadata,
        "payment_method": ParamSpec(.string),
        "receipt_email": ParamSpec(.string, unsettable: true),
        "statement_descriptor": ParamSpec(descriptor, unsettable: true),
        "statement_descriptor_suffix": ParamSpec(descriptor, unsettable: true),
        "setup_future_usage": ParamSpec(.enumeration(["off_session", "on_session"]), unsettable: true),
        "capture_method": ParamSpec(.enumeration(["automatic", "automatic_async", "manual"])),
        "payment_method_types": ParamSpec(.array(.string)),
        "application_fee_amount": ParamSpec(.integer(min: 0), unsettable: true),
        "shipping": ParamSpec(CommonParams.shipping, unsettable: true),
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
            // Destination charges (F6).
            "transfer_data": ParamSpec(
                .object([
                    "destination": ParamSpec(.string, required: true),
                    "amount": ParamSpec(.integer(min: 1, max: 99_999_999)),
                ])),
            "on_behalf_of": ParamSpec(.string),
            "transfer_group": ParamSpec(.string),
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
        "metadata": CommonParams.metadata,
        "expand": ParamSchema.expand,
    ])
    static let cancelSchema = ParamSchema([
        "cancellation_reason": ParamSpec(
            .enumeration(["abandoned", "duplicate", "fraudulent", "requested_by_customer"])),
        "expand": ParamSchema.expand,
    ])
    static let retrieveSchema = ParamSchema(["client_secret": ParamSpec(.string), "expand": ParamSchema.expand])

    // MARK: Handlers

    @Sendable func create(_ call: APICall) async throws -> APIResult {
        let params = call.params
        var fields = call.patch(
            leaving: [
                "amount", "currency", "confirm", "automatic_payment_methods", "off_session", "return_url",
                "error_on_requires_action", "use_stripe_sdk", "capture_method", "payment_method_types",
                "payment_method_options", "application_fee_amount", "payment_method", "transfer_data",
            ])
        if params["automatic_payment_methods"]?["enabled"]?.boolean == true {
            fields["automatic_payment_methods"] = [
                "allow_redirects": JSONValue(
                    params["automatic_payment_methods"]?["allow_redirects"]?.string ?? "always"),
                "enabled": true,
            ]
        }
        let manual =
            params["capture_method"]?.string == "manual"
            || params["payment_method_options"]?["card"]?["capture_method"]?.string == "manual"
        var destination: DestinationCharge?
        if let destinationID = params["transfer_data"]?["destination"]?.string {
            destination = DestinationCharge(
                account: try await dependencies.destinationAccount(
                    destinationID, for: call, param: "transfer_data[destination]"),
                amount: params["transfer_data"]?["amount"]?.integer, application: call.principal.application)
        }
        if let onBehalfOf = params["on_behalf_of"]?.string, destination?.account.id != onBehalfOf {
            // The settlement merchant is an account connected to the platform.
            _ = try await dependencies.destinationAccount(onBehalfOf, for: call, param: "on_behalf_of", noun: "account")
        }
        var creation = PaymentIntents.Creation(
            amount: params["amount"]?.integer ?? 0, currency: params["currency"]?.string ?? "",
            customer: params["customer"]?.string, paymentMethod: params["payment_method"]?.string,
            applicationFee: params["application_fee_amount"]?.integer, manualCapture: manual,
            confirm: params["confirm"]?.boolean == true,
            paymentMethodTypes: params["payment_method_types"]?.array?.compactMap(\.string), fields: fields)
        creation.destination = destination
        return APIResult(try await intents.create(creation, caller: call.caller))
    }

    @Sendable func update(_ call: APICall) async throws -> APIResult {
        APIResult(try await intents.update(try call.path(), patch: call.patch(), caller: call.caller))
    }

    @Sendable func confirm(_ call: APICall) async throws -> APIResult {
        APIResult(
            try await intents.confirm(
                try call.path(), paymentMethod: call.params["payment_method"]?.string,
                receiptEmail: call.params["receipt_email"]?.string,
                captureMethod: call.params["capture_method"]?.string,
                caller: call.caller))
    }

    @Sendable func capture(_ call: APICall) async throws -> APIResult {
        APIResult(
            try await intents.capture(
                try call.path(), amount: call.params["amount_to_capture"]?.integer,
                applicationFee: call.params["application_fee_amount"]?.integer, caller: call.caller))
    }

    @Sendable func cancel(_ call: APICall) async throws -> APIResult {
        APIResult(
            try await intents.cancel(
                try call.path(), reason: call.params["cancellation_reason"]?.string, caller: call.caller))
    }
}
