import ConnectModel
import Foundation
import JunctionStorage

/// Card payment methods, with Stripe's test cards and their aliases (`pm_card_visa`,
/// `tok_chargeDeclined`, …). Card numbers and CVCs are used once to work out the card's brand,
/// last 4, fingerprint and test behaviour, and never stored or returned (A5).
public struct PaymentMethods: Sendable {
    let store: any ObjectStore

    public init(store: any ObjectStore) {
        self.store = store
    }

    /// The card of `POST /v1/payment_methods`: its details, or a test token (`tok_visa`).
    public enum Card: Sendable {
        case number(String, expMonth: Int?, expYear: Int?, cvc: String?)
        case token(String)
    }

    /// A new card payment method; `fields` patches the rest of the document (`billing_details`,
    /// `metadata`, …).
    public func create(_ card: Card, fields: JSONValue, caller: Caller) async throws -> StoredObject {
        let now = caller.now
        let defaultYear = Self.year(now) + 3
        let profile: TestCards.Profile
        var (expMonth, expYear, cvcChecked) = (12, defaultYear, false)
        switch card {
        case .token(let token):
            guard let number = TestCards.aliases[token], token.hasPrefix("tok_") else {
                throw JunctionError.noSuch("token", token, param: "card[token]")
            }
            profile = try TestCards.profile(number: number, expMonth: 12, expYear: defaultYear, cvc: nil, now: now)
        case .number(let number, let month, let year, let cvc):
            (expMonth, expYear, cvcChecked) = (month ?? 12, year ?? defaultYear, cvc != nil)
            profile = try TestCards.profile(number: number, expMonth: expMonth, expYear: expYear, cvc: cvc, now: now)
        }
        let id = Resource.paymentMethod.newID()
        let method = StoredObject(
            id: id, account: caller.account, kind: .paymentMethod, created: now,
            document: Self.document(
                id, profile: profile, expMonth: expMonth, expYear: expYear, cvcChecked: cvcChecked, created: now
            ).patched(with: fields))
        try await store.write { tx in try await tx.insert(method) }
        return method
    }

    /// `POST /v1/payment_methods/{id}/attach`.
    public func attach(_ id: String, customer customerID: String, caller: Caller) async throws -> StoredObject {
        try await store.write { tx in
            let customer = try await tx.require(.customer, customerID, account: caller.account, param: "customer")
            return try await Self.attach(id, to: customer, in: tx, caller: caller)
        }
    }

    /// `POST /v1/payment_methods/{id}/detach`.
    public func detach(_ id: String, caller: Caller) async throws -> StoredObject {
        try await store.write { tx in
            var method = try await tx.require(.paymentMethod, id, account: caller.account)
            guard method.customer != nil else {
                throw JunctionError.invalid(
                    "The payment method you provided is not attached to a customer so detachment is impossible.")
            }
            method.document["customer"] = .null
            try await tx.update(method)
            try await tx.emit(.paymentMethodDetached, method.document, caller: caller)
            return method
        }
    }

    /// A payment method of the caller's account by id, or a new one made from a test alias
    /// (`pm_card_visa`, `tok_visa`, …), as Stripe does when a payment names one.
    static func resolve(_ idOrAlias: String, in tx: any ObjectTransaction, caller: Caller, param: String)
        async throws -> StoredObject
    {
        guard let number = TestCards.aliases[idOrAlias] else {
            return try await tx.require(.paymentMethod, idOrAlias, account: caller.account, param: param)
        }
        let year = Self.year(caller.now) + 3
        let profile = try TestCards.profile(number: number, expMonth: 12, expYear: year, cvc: nil, now: caller.now)
        let id = Resource.paymentMethod.newID()
        let method = StoredObject(
            id: id, account: caller.account, kind: .paymentMethod, created: caller.now,
            document: document(
                id, profile: profile, expMonth: 12, expYear: year, cvcChecked: false, created: caller.now))
        try await tx.insert(method)
        return method
    }

    /// Attaches a payment method (or a test alias) to a customer of the same account; errors
    /// name it as `param`.
    @discardableResult
    static func attach(
        _ idOrAlias: String, to customer: StoredObject, in tx: any ObjectTransaction, caller: Caller,
        param: String = "payment_method"
    ) async throws -> StoredObject {
        var method = try await resolve(idOrAlias, in: tx, caller: caller, param: param)
        if let owner = method.customer, owner != customer.id {
            throw JunctionError.invalid(
                "The payment method you provided has already been attached to a customer.", param: param)
        }
        guard method.customer == nil else { return method }
        method.document["customer"] = .string(customer.id)
        try await tx.update(method)
        try await tx.emit(.paymentMethodAttached, method.document, caller: caller)
        return method
    }

    static func document(
        _ id: String, profile: TestCards.Profile, expMonth: Int, expYear: Int, cvcChecked: Bool, created: Int
    ) -> JSONValue {
        [
            "id": .string(id), "object": "payment_method", "allow_redisplay": "unspecified",
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
            "created": .int(created), "customer": nil, "customer_account": nil, "livemode": false, "metadata": [:],
            "type": "card",
            // Junction's own: how charges on this card behave. Never rendered.
            PrivateField.decline: profile.decline.map {
                ["code": .string($0.code), "decline_code": JSONValue($0.declineCode), "message": .string($0.message)]
            } ?? nil,
            PrivateField.bypassPending: .bool(profile.bypassPending),
        ]
    }

    static func year(_ now: Int) -> Int {
        Calendar(identifier: .gregorian).dateComponents(
            in: TimeZone(identifier: "UTC")!, from: Date(timeIntervalSince1970: TimeInterval(now))
        ).year!
    }
}
