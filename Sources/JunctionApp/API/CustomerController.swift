import ConnectModel
import Hummingbird
import JunctionStorage
import StripeForm

/// Customers of the acting account: create, retrieve, update, delete, list (A5, A6, E1).
struct CustomerController: Sendable {
    let services: JunctionServices

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(services: services)
        endpoint.add(.post, "/v1/customers", to: router, Self.create, create)
        endpoint.add(
            .get, "/v1/customers", to: router, ObjectParams.list(["email": ParamSpec(.string(maxLength: 512))]), list)
        endpoint.add(.get, "/v1/customers/:id", to: router, ObjectParams.expandOnly, retrieve)
        endpoint.add(.post, "/v1/customers/:id", to: router, Self.update, update)
        endpoint.add(.delete, "/v1/customers/:id", to: router, ParamSchema([:]), delete)
    }

    static let fields: [String: ParamSpec] = [
        "address": ParamSpec(ObjectParams.address, unsettable: true),
        "balance": ParamSpec(.integer),
        "description": ParamSpec(.string, unsettable: true),
        "email": ParamSpec(.string(maxLength: 512), unsettable: true),
        "invoice_settings": ParamSpec(
            .object([
                "default_payment_method": ParamSpec(.string, unsettable: true),
                "footer": ParamSpec(.string, unsettable: true),
            ])),
        "metadata": ParamSpec(.metadata, unsettable: true),
        "name": ParamSpec(.string(maxLength: 256), unsettable: true),
        "phone": ParamSpec(.string(maxLength: 20), unsettable: true),
        "preferred_locales": ParamSpec(.array(.string(maxLength: 20), maxCount: 10), unsettable: true),
        "shipping": ParamSpec(ObjectParams.shipping, unsettable: true),
        "tax_exempt": ParamSpec(.enumeration(["exempt", "none", "reverse"]), unsettable: true),
        "expand": ParamSchema.expand,
    ]
    static let create = ParamSchema(fields.merging(["payment_method": ParamSpec(.string)]) { $1 })
    static let update = ParamSchema(fields)

    static func template(id: String, created: Int) -> JSONValue {
        [
            "id": .string(id), "object": "customer", "address": nil, "balance": 0, "created": .int(created),
            "currency": nil, "default_source": nil, "delinquent": false, "description": nil, "discount": nil,
            "email": nil,
            "invoice_prefix": .string(Identifiers.random(length: 8).uppercased()),
            "invoice_settings": [
                "custom_fields": nil, "default_payment_method": nil, "footer": nil, "rendering_options": nil,
            ],
            "livemode": false, "metadata": [:], "name": nil, "next_invoice_sequence": 1, "phone": nil,
            "preferred_locales": [], "shipping": nil, "tax_exempt": "none", "test_clock": nil,
        ]
    }

    @Sendable func create(_ call: APICall) async throws -> APIResult {
        let now = services.clock.now()
        let id = Identifiers.make("cus")
        let account = call.actingAccount
        let document = Self.template(id: id, created: now).patched(
            with: ObjectParams.patch(call.params, leaving: ["payment_method"]))
        let paymentMethod = call.params["payment_method"]?.string
        let customer = try await services.store.write { tx in
            var customer = StoredObject(
                id: id, account: account, type: "customer", lookup: document["email"]?.stringValue, created: now,
                document: document)
            try await tx.insert(customer)
            if let paymentMethod {
                // Attaching at creation, as `payment_method` on create does.
                try await PaymentMethodController.attach(
                    paymentMethod, to: &customer, account: account, in: tx, now: now, request: call.requestInfo)
            }
            try await tx.emit(
                Event(
                    type: "customer.created", account: account, created: now, object: customer.publicDocument,
                    request: call.requestInfo))
            return customer
        }
        return APIResult(body: customer.publicDocument)
    }

    @Sendable func retrieve(_ call: APICall) async throws -> APIResult {
        let customer = try await Self.load(try call.context.parameters.require("id"), call: call, services: services)
        if customer.deleted {
            return APIResult(body: ["id": .string(customer.id), "object": "customer", "deleted": true])
        }
        return APIResult(body: customer.publicDocument)
    }

    @Sendable func update(_ call: APICall) async throws -> APIResult {
        try await services.updateObject(call, type: "customer", noun: "customer", event: "customer.updated") {
            customer in customer.lookup = customer.document["email"]?.stringValue
        }
    }

    @Sendable func delete(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let account = call.actingAccount
        let now = services.clock.now()
        try await services.store.write { tx in
            var customer = try await tx.require(id, type: "customer", noun: "customer", account: account)
            customer.deleted = true
            try await tx.update(customer)
            try await tx.emit(
                Event(
                    type: "customer.deleted", account: account, created: now, object: customer.publicDocument,
                    request: call.requestInfo))
        }
        return APIResult(body: ["id": .string(id), "object": "customer", "deleted": true])
    }

    @Sendable func list(_ call: APICall) async throws -> APIResult {
        try await services.listObjects(
            call, type: "customer", url: "/v1/customers", filter: ObjectFilter(lookup: call.params["email"]?.string))
    }

    /// A customer of the acting account, or 404 (A6: another account's customer does not exist here).
    static func load(_ id: String, call: APICall, services: JunctionServices) async throws -> StoredObject {
        try await services.loadObject(id, type: "customer", noun: "customer", account: call.actingAccount)
    }
}
