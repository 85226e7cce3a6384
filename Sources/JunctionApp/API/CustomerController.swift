import ConnectModel
import Hummingbird
import JunctionDomain
import StripeForm

/// Customers of the acting account: create, retrieve, update, delete, list (A5, A6, E1).
struct CustomerController: Sendable {
    let dependencies: Dependencies

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(dependencies: dependencies)
        let handlers = ResourceHandlers(dependencies: dependencies)
        endpoint.add(.post, "/v1/customers", to: router, Self.create, create)
        endpoint.add(
            .get, "/v1/customers", to: router, CommonParams.list(["email": ParamSpec(.string(maxLength: 512))]),
            handlers.list(.customer) { Customers.filter(email: $0["email"]?.string) })
        endpoint.add(.get, "/v1/customers/:id", to: router, CommonParams.expandOnly, handlers.retrieve(.customer))
        endpoint.add(.post, "/v1/customers/:id", to: router, Self.update, update)
        endpoint.add(.delete, "/v1/customers/:id", to: router, ParamSchema([:]), handlers.delete(.customer))
        // Cards are payment methods here; sources and tax ids are not kept yet, so these lists are empty.
        endpoint.add(
            .get, "/v1/customers/:id/sources", to: router,
            CommonParams.list(["object": ParamSpec(.enumeration(["account", "bank_account", "card", "source"]))]),
            handlers.emptyList(.customer, "sources"))
        endpoint.add(
            .get, "/v1/customers/:id/tax_ids", to: router, CommonParams.list(),
            handlers.emptyList(.customer, "tax_ids"))
    }

    static let fields: [String: ParamSpec] = [
        "address": ParamSpec(CommonParams.address, unsettable: true),
        "balance": ParamSpec(.integer),
        "description": ParamSpec(.string, unsettable: true),
        "email": ParamSpec(.string(maxLength: 512), unsettable: true),
        "invoice_settings": ParamSpec(
            .object([
                "default_payment_method": ParamSpec(.string, unsettable: true),
                "footer": ParamSpec(.string, unsettable: true),
            ])),
        "metadata": CommonParams.metadata,
        "name": ParamSpec(.string(maxLength: 256), unsettable: true),
        "phone": ParamSpec(.string(maxLength: 20), unsettable: true),
        "preferred_locales": ParamSpec(.array(.string(maxLength: 20), maxCount: 10), unsettable: true),
        "shipping": ParamSpec(CommonParams.shipping, unsettable: true),
        "tax_exempt": ParamSpec(.enumeration(["exempt", "none", "reverse"]), unsettable: true),
        "expand": ParamSchema.expand,
    ]
    static let create = ParamSchema(fields.merging(["payment_method": ParamSpec(.string)]) { $1 })
    static let update = ParamSchema(fields)

    @Sendable func create(_ call: APICall) async throws -> APIResult {
        APIResult(
            try await dependencies.customers.create(
                fields: call.patch(leaving: ["payment_method"]), paymentMethod: call.params["payment_method"]?.string,
                caller: call.caller))
    }

    /// Renewals charge `invoice_settings[default_payment_method]`: it must be one of the
    /// customer's payment methods (a test alias is attached first, as on create).
    @Sendable func update(_ call: APICall) async throws -> APIResult {
        APIResult(
            try await dependencies.objects.update(.customer, try call.path(), patch: call.patch(), caller: call.caller)
            {
                customer, tx in
                try await Customers.checkDefaultPaymentMethod(&customer, in: tx, caller: call.caller)
            })
    }
}
