import ConnectModel

extension Subscriptions {
    /// The payment intent that pays an invoice.
    static func openIntent(
        for invoice: inout JSONValue, amount: Int, currency: String, customer: String, method: String?,
        subscription: JSONValue?, description: String = "Subscription creation", caller: Caller
    ) -> StoredObject {
        let id = Resource.paymentIntent.newID()
        let fee = subscription?["application_fee_percent"]?.doubleValue.map {
            Int((Double(amount) * $0 / 100).rounded())
        }
        var document = PaymentIntentDocument.new(
            id, amount: amount, currency: currency, caller: caller, paymentMethod: method, applicationFee: fee)
        // A subscription with `transfer_data` makes destination charges (F6): each invoice's
        // payment sends `amount_percent` of it (else all) to the destination.
        if let destination = subscription?["transfer_data"]?["destination"]?.stringValue {
            let percent = subscription?["transfer_data"]?["amount_percent"]?.doubleValue
            let transferData: JSONValue = [
                "amount": percent.map { .int(Int((Double(amount) * $0 / 100).rounded())) } ?? nil,
                "destination": .string(destination),
            ]
            document["transfer_data"] = transferData
            document[PrivateField.platformApplication] = subscription?[PrivateField.platformApplication] ?? nil
            invoice["transfer_data"] = transferData
        }
        document["customer"] = .string(customer)
        document["description"] = .string(description)
        document[PaymentIntentDocument.invoiceField] = invoice["id"] ?? nil
        invoice[PrivateField.confirmationSecret] = [
            "client_secret": document["client_secret"] ?? nil, "type": "payment_intent",
        ]
        // Since basil an invoice names its payment intent only here (older versions show
        // `payment_intent` and `charge`: ``VersionChanges``).
        invoice["payments"] = [
            "object": "list", "has_more": false, "total_count": 1, "url": "/v1/invoice_payments",
            "data": [
                [
                    "id": .string(Identifiers.make("inpay")), "object": "invoice_payment", "amount_paid": nil,
                    "amount_requested": .int(amount), "created": .int(caller.now), "currency": .string(currency),
                    "invoice": invoice["id"] ?? nil, "is_default": true, "livemode": false,
                    "payment": ["payment_intent": .string(id), "type": "payment_intent"], "status": "open",
                    "status_transitions": ["canceled_at": nil, "paid_at": nil],
                ]
            ],
        ]
        return StoredObject(
            id: id, account: caller.account, kind: .paymentIntent, created: caller.now, document: document)
    }
}
