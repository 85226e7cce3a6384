import ConnectModel

/// The Stripe JSON of a new payment intent.
enum PaymentIntentDocument {
    /// Private: the invoice an intent pays. Stripe stopped showing it with basil, but answers at
    /// older versions carry it as `invoice` (on the intent and its charges).
    static let invoiceField = "_invoice"

    /// `requires_payment_method`, or `requires_confirmation` when it has a method already.
    static func new(
        _ id: String, amount: Int, currency: String, caller: Caller, paymentMethod: String?, applicationFee: Int?,
        manualCapture: Bool = false
    ) -> JSONValue {
        [
            "id": .string(id), "object": "payment_intent", "amount": .int(amount), "amount_capturable": 0,
            "amount_details": ["tip": [:]], "amount_received": 0,
            "application": caller.application.map { .string($0.id) } ?? nil,
            "application_fee_amount": applicationFee.map(JSONValue.int) ?? nil, "automatic_payment_methods": nil,
            "canceled_at": nil, "cancellation_reason": nil,
            "capture_method": .string(manualCapture ? "manual" : "automatic"),
            "client_secret": .string("\(id)_secret_\(Identifiers.random(length: 24))"),
            "confirmation_method": "automatic",
            "created": .int(caller.now), "currency": .string(currency), "customer": nil, "description": nil,
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
            "status": JSONValue(
                paymentMethod == nil ? PaymentIntentStatus.requiresPaymentMethod : .requiresConfirmation),
            "transfer_data": nil, "transfer_group": nil,
            "allowed_payment_method_types": nil, "customer_account": nil, "excluded_payment_method_types": nil,
            "hooks": nil, "managed_payments": nil, "payment_details": nil, "payment_record": nil,
            "presentment_details": nil,
        ]
    }
}
