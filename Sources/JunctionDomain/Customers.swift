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
