import ConnectModel
import JunctionStorage

/// Customers of an account (A5, A6, E1). Retrieve, update, delete and list are the generic
/// ``Objects`` operations.
public struct Customers: Sendable {
    let store: any ObjectStore

    public init(store: any ObjectStore) {
        self.store = store
    }

    /// A new customer; `paymentMethod` (an id or a test alias) is attached at once.
    public func create(fields: JSONValue, paymentMethod: String?, caller: Caller) async throws -> StoredObject {
        let id = Resource.customer.newID()
        let customer = StoredObject(
            id: id, account: caller.account, kind: .customer, created: caller.now,
            document: Self.document(id, created: caller.now).patched(with: fields))
        try await store.write { tx in
            try await tx.insert(customer)
            if let paymentMethod {
                try await PaymentMethods.attach(paymentMethod, to: customer, in: tx, caller: caller)
            }
            try await tx.emit(.customerCreated, customer.document, caller: caller)
        }
        return customer
    }

    /// The customer's `invoice_settings.default_payment_method`, if set, made one of its own
    /// payment methods (a test alias is created and attached), else refused.
    public static func checkDefaultPaymentMethod(
        _ customer: inout StoredObject, in tx: any ObjectTransaction, caller: Caller
    ) async throws {
        guard let chosen = customer.document["invoice_settings"]?["default_payment_method"]?.stringValue else {
            return
        }
        let method = try await PaymentMethods.attach(
            chosen, to: customer, in: tx, caller: caller, param: "invoice_settings[default_payment_method]")
        customer.document["invoice_settings"]?["default_payment_method"] = .string(method.id)
    }

    /// Stripe's customers list filters `email` exactly (case-sensitively).
    public static func filter(email: String?) -> ObjectFilter {
        ObjectFilter(fields: email.map { ["email": $0] } ?? [:])
    }

    static func document(_ id: String, created: Int) -> JSONValue {
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
            "business_name": nil, "customer_account": nil, "individual_name": nil,
        ]
    }
}
