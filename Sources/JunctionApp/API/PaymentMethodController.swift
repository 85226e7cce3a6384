import ConnectModel
import Foundation
import Hummingbird
import JunctionStorage
import StripeForm

/// Card payment methods of the acting account, with Stripe's test cards and their aliases
/// (`pm_card_visa`, `tok_chargeDeclined`, …). Card numbers and CVCs are used once to work out
/// the card's brand, last 4, fingerprint and test behaviour, and never stored or returned (A5).
struct PaymentMethodController: Sendable {
    let services: JunctionServices

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(services: services)
        endpoint.add(.post, "/v1/payment_methods", to: router, Self.create, create)
        endpoint.add(.get, "/v1/payment_methods", to: router, Self.list, list)
        endpoint.add(.get, "/v1/payment_methods/:id", to: router, ObjectParams.expandOnly, retrieve)
        endpoint.add(.post, "/v1/payment_methods/:id", to: router, Self.update, update)
        endpoint.add(.post, "/v1/payment_methods/:id/attach", to: router, Self.attachSchema, attachRoute)
        endpoint.add(.post, "/v1/payment_methods/:id/detach", to: router, ObjectParams.expandOnly, detach)
        endpoint.add(.get, "/v1/customers/:id/payment_methods", to: router, Self.customerList, listForCustomer)
    }

    static let billingDetails = ParamType.object([
        "address": ParamSpec(ObjectParams.address, unsettable: true),
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
        "metadata": ParamSpec(.metadata, unsettable: true),
        "expand": ParamSchema.expand,
    ])

    static let update = ParamSchema([
        "billing_details": ParamSpec(billingDetails),
        "card": ParamSpec(
            .object(["exp_month": ParamSpec(.integer(min: 1, max: 12)), "exp_year": ParamSpec(.integer)])),
        "allow_redisplay": ParamSpec(.enumeration(["always", "limited", "unspecified"])),
        "metadata": ParamSpec(.metadata, unsettable: true),
        "expand": ParamSchema.expand,
    ])

    static let list = ObjectParams.list(["customer": ParamSpec(.string), "type": ParamSpec(.enumeration(["card"]))])
    static let customerList = ObjectParams.list(["type": ParamSpec(.enumeration(["card"]))])
    static let attachSchema = ParamSchema([
        "customer": ParamSpec(.string, required: true), "expand": ParamSchema.expand,
    ])

    // MARK: Handlers

    @Sendable func create(_ call: APICall) async throws -> APIResult {
        let now = services.clock.now()
        let card = call.params["card"]
        let profile: TestCards.Profile
        var expMonth = card?["exp_month"]?.integer ?? 12
        var expYear = card?["exp_year"]?.integer ?? Self.year(now) + 3
        if let token = card?["token"]?.string {
            guard let number = TestCards.aliases[token], token.hasPrefix("tok_") else {
                throw ConnectError.noSuch("token", token, param: "card[token]")
            }
            profile = try TestCards.profile(
                number: number, expMonth: 12, expYear: Self.year(now) + 3, cvc: nil, now: now)
            (expMonth, expYear) = (12, Self.year(now) + 3)
        } else if let number = card?["number"]?.string {
            profile = try TestCards.profile(
                number: number, expMonth: expMonth, expYear: expYear, cvc: card?["cvc"]?.string, now: now)
        } else {
            throw ConnectError.missing("card")
        }
        var document = Self.document(
            id: Identifiers.make("pm"), profile: profile, expMonth: expMonth, expYear: expYear,
            cvcChecked: card?["cvc"] != nil, created: now)
        document = document.patched(with: ObjectParams.patch(call.params, leaving: ["type", "card"]))
        let method = StoredObject(
            id: document["id"]!.stringValue!, account: call.actingAccount, type: "payment_method", created: now,
            document: document)
        try await services.store.write { tx in try await tx.insert(method) }
        return APIResult(body: method.publicDocument)
    }

    @Sendable func retrieve(_ call: APICall) async throws -> APIResult {
        try await services.retrieveObject(call, type: "payment_method", noun: "PaymentMethod")
    }

    @Sendable func update(_ call: APICall) async throws -> APIResult {
        try await services.updateObject(
            call, type: "payment_method", noun: "PaymentMethod", event: "payment_method.updated")
    }

    @Sendable func attachRoute(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let customerID = call.params["customer"]?.string ?? ""
        let account = call.actingAccount
        let now = services.clock.now()
        let request = call.requestInfo
        let method = try await services.store.write { tx in
            var customer = try await tx.require(
                customerID, type: "customer", noun: "customer", account: account, param: "customer")
            return try await Self.attach(id, to: &customer, account: account, in: tx, now: now, request: request)
        }
        return APIResult(body: method.publicDocument)
    }

    @Sendable func detach(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let account = call.actingAccount
        let now = services.clock.now()
        let method = try await services.store.write { tx in
            var method = try await tx.require(id, type: "payment_method", noun: "PaymentMethod", account: account)
            guard method.customer != nil else {
                throw ConnectError.invalid(
                    "The payment method you provided is not attached to a customer so detachment is impossible.")
            }
            method.customer = nil
            method.document["customer"] = .null
            try await tx.update(method)
            try await tx.emit(
                Event(
                    type: "payment_method.detached", account: account, created: now, object: method.publicDocument,
                    request: call.requestInfo))
            return method
        }
        return APIResult(body: method.publicDocument)
    }

    @Sendable func list(_ call: APICall) async throws -> APIResult {
        try await page(call, customer: call.params["customer"]?.string, url: "/v1/payment_methods")
    }

    @Sendable func listForCustomer(_ call: APICall) async throws -> APIResult {
        let customer = try await CustomerController.load(
            try call.context.parameters.require("id"), call: call, services: services)
        return try await page(call, customer: customer.id, url: "/v1/customers/\(customer.id)/payment_methods")
    }

    private func page(_ call: APICall, customer: String?, url: String) async throws -> APIResult {
        try await services.listObjects(call, type: "payment_method", url: url, filter: ObjectFilter(customer: customer))
    }

    // MARK: Shared with payments

    /// A payment method of `account` by id, or a new one made from a test alias
    /// (`pm_card_visa`, `tok_visa`, …), as Stripe does when a payment names one.
    static func resolve(_ idOrAlias: String, account: String, in tx: any ObjectTransaction, now: Int, param: String)
        async throws -> StoredObject
    {
        if let number = TestCards.aliases[idOrAlias] {
            let profile = try TestCards.profile(
                number: number, expMonth: 12, expYear: year(now) + 3, cvc: nil, now: now)
            let method = StoredObject(
                id: Identifiers.make("pm"), account: account, type: "payment_method", created: now,
                document: document(
                    id: nil, profile: profile, expMonth: 12, expYear: year(now) + 3, cvcChecked: false, created: now))
            var stored = method
            stored.document["id"] = .string(method.id)
            try await tx.insert(stored)
            return stored
        }
        return try await tx.require(
            idOrAlias, type: "payment_method", noun: "PaymentMethod", account: account, param: param)
    }

    /// Attaches a payment method (or a test alias) to a customer of the same account.
    @discardableResult
    static func attach(
        _ idOrAlias: String, to customer: inout StoredObject, account: String, in tx: any ObjectTransaction, now: Int,
        request: RequestInfo
    ) async throws -> StoredObject {
        var method = try await resolve(idOrAlias, account: account, in: tx, now: now, param: "payment_method")
        if let owner = method.customer, owner != customer.id {
            throw ConnectError.invalid(
                "The payment method you provided has already been attached to a customer.", param: "payment_method")
        }
        guard method.customer == nil else { return method }
        method.customer = customer.id
        method.document["customer"] = .string(customer.id)
        try await tx.update(method)
        try await tx.emit(
            Event(
                type: "payment_method.attached", account: account, created: now, object: method.publicDocument,
                request: request))
        return method
    }

    static func document(
        id: String?, profile: TestCards.Profile, expMonth: Int, expYear: Int, cvcChecked: Bool, created: Int
    ) -> JSONValue {
        [
            "id": JSONValue(id), "object": "payment_method", "allow_redisplay": "unspecified",
            "billing_details": [
                "address": ["city": nil, "country": nil, "line1": nil, "line2": nil, "postal_code": nil, "state": nil],
                "email": nil, "name": nil, "phone": nil, "tax_id": nil,
            ],
            "card": [
                "brand": .string(profile.brand), "display_brand": .string(profile.brand),
                "checks": [
                    "address_line1_check": nil, "address_postal_code_check": nil,
                    "cvc_check": cvcChecked ? "pass" : nil,
                ],
                "country": .string(profile.country), "exp_month": .int(expMonth), "exp_year": .int(expYear),
                "fingerprint": .string(profile.fingerprint), "funding": .string(profile.funding), "generated_from": nil,
                "last4": .string(profile.last4),
                "networks": ["available": [.string(profile.brand)], "preferred": nil],
                "regulated_status": "unregulated", "three_d_secure_usage": ["supported": true], "wallet": nil,
            ],
            "created": .int(created), "customer": nil, "livemode": false, "metadata": [:], "type": "card",
            // Junction's own: how charges on this card behave. Never rendered.
            "_decline": profile.decline.map {
                ["code": .string($0.code), "decline_code": JSONValue($0.declineCode), "message": .string($0.message)]
            } ?? nil,
            "_bypass_pending": .bool(profile.bypassPending),
        ]
    }

    static func year(_ now: Int) -> Int {
        Calendar(identifier: .gregorian).dateComponents(
            in: TimeZone(identifier: "UTC")!, from: Date(timeIntervalSince1970: TimeInterval(now))
        )
        .year!
    }
}
