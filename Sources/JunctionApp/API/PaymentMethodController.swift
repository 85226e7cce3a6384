import ConnectModel
import Hummingbird
import JunctionDomain
import StripeForm

/// Card payment methods of the acting account, with Stripe's test cards and their aliases (A5).
struct PaymentMethodController: Sendable {
    let dependencies: Dependencies

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(dependencies: dependencies)
        let handlers = ResourceHandlers(dependencies: dependencies)
        endpoint.add(.post, "/v1/payment_methods", to: router, Self.create, create)
        endpoint.add(.get, "/v1/payment_methods", to: router, Self.list, list)
        endpoint.add(
            .get, "/v1/payment_methods/:id", to: router, CommonParams.expandOnly, handlers.retrieve(.paymentMethod))
        endpoint.add(.post, "/v1/payment_methods/:id", to: router, Self.update, handlers.update(.paymentMethod))
        endpoint.add(.post, "/v1/payment_methods/:id/attach", to: router, Self.attachSchema, attach)
        endpoint.add(.post, "/v1/payment_methods/:id/detach", to: router, CommonParams.expandOnly, detach)
        endpoint.add(.get, "/v1/customers/:id/payment_methods", to: router, Self.customerList, listForCustomer)
    }

    static let billingDetails = ParamType.object([
        "address": ParamSpec(CommonParams.address, unsettable: true),
        "email": ParamSpec(.string, unsettable: true),
        "name": ParamSpec(.string, unsettable: true),
        "phone": ParamSpec(.string, unsettable: true),
    ])

    static let create = ParamSchema([
        "type": ParamSpec(.enumeration(["card"]), required: true),
        "card": ParamSpec(
            .oneOf([
                .object([
                    "number": ParamSpec(.string(maxLength: 30), required: true),
                    "exp_month": ParamSpec(.integer, required: true),
                    "exp_year": ParamSpec(.integer, required: true),
                    "cvc": ParamSpec(.string(maxLength: 10)),
                ]),
                .object(["token": ParamSpec(.string, required: true)]),
            ])),
        "billing_details": ParamSpec(billingDetails),
        "allow_redisplay": ParamSpec(.enumeration(["always", "limited", "unspecified"])),
        "metadata": CommonParams.metadata,
        "expand": ParamSchema.expand,
    ])

    static let update = ParamSchema([
        "billing_details": ParamSpec(billingDetails),
        "card": ParamSpec(
            .object(["exp_month": ParamSpec(.integer(min: 1, max: 12)), "exp_year": ParamSpec(.integer)])),
        "allow_redisplay": ParamSpec(.enumeration(["always", "limited", "unspecified"])),
        "metadata": CommonParams.metadata,
        "expand": ParamSchema.expand,
    ])

    /// Lists filter by any type Stripe documents: Junction's payment methods are cards, so another
    /// type lists none.
    static let type = ParamSpec(.enumeration(PaymentMethodTypes.documented.sorted()))
    static let list = CommonParams.list(["customer": ParamSpec(.string), "type": type])
    static let customerList = CommonParams.list(["type": type])
    static let attachSchema = ParamSchema([
        "customer": ParamSpec(.string, required: true), "expand": ParamSchema.expand,
    ])

    @Sendable func create(_ call: APICall) async throws -> APIResult {
        let card = call.params["card"]
        let details: PaymentMethods.Card
        if let token = card?["token"]?.string {
            details = .token(token)
        } else if let number = card?["number"]?.string {
            details = .number(
                number, expMonth: card?["exp_month"]?.integer, expYear: card?["exp_year"]?.integer,
                cvc: card?["cvc"]?.string)
        } else {
            throw JunctionError.missing("card")
        }
        return APIResult(
            try await dependencies.paymentMethods.create(
                details, fields: call.patch(leaving: ["type", "card"]), caller: call.caller))
    }

    @Sendable func attach(_ call: APICall) async throws -> APIResult {
        APIResult(
            try await dependencies.paymentMethods.attach(
                try call.path(), customer: call.params["customer"]?.string ?? "", caller: call.caller))
    }

    @Sendable func detach(_ call: APICall) async throws -> APIResult {
        APIResult(try await dependencies.paymentMethods.detach(try call.path(), caller: call.caller))
    }

    @Sendable func list(_ call: APICall) async throws -> APIResult {
        try await page(call, customer: call.params["customer"]?.string, url: Resource.paymentMethod.path)
    }

    @Sendable func listForCustomer(_ call: APICall) async throws -> APIResult {
        let customer = try await dependencies.objects.load(.customer, try call.path(), account: call.actingAccount)
        return try await page(
            call, customer: customer.id, url: "\(Resource.customer.path)/\(customer.id)/payment_methods")
    }

    private func page(_ call: APICall, customer: String?, url: String) async throws -> APIResult {
        let filter = ObjectFilter(customer: customer, fields: call.params["type"]?.string.map { ["type": $0] } ?? [:])
        let page = try await dependencies.objects.list(
            .paymentMethod, account: call.actingAccount, filter: filter, page: try call.page())
        return APIResult(body: ListEnvelope.list(page, url: url))
    }
}
