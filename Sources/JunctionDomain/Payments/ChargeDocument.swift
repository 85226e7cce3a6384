import ConnectModel

/// The Stripe JSON of a charge a payment intent makes.
enum ChargeDocument {
    static func new(
        _ id: String, intent: StoredObject, method: StoredObject, amount: Int, currency: String, now: Int
    ) -> JSONValue {
        let card = method.document["card"] ?? [:]
        return [
            "id": .string(id), "object": "charge", "amount": .int(amount), "amount_captured": 0, "amount_refunded": 0,
            "application": intent.document["application"] ?? nil, "application_fee": nil,
            "application_fee_amount": intent.document["application_fee_amount"] ?? nil, "balance_transaction": nil,
            "billing_details": method.document["billing_details"] ?? nil,
            "calculated_statement_descriptor": intent.document["statement_descriptor"] ?? "JUNCTION",
            "captured": false, "created": .int(now), "currency": .string(currency),
            "customer": JSONValue(intent.customer), "description": intent.document["description"] ?? nil,
            "disputed": false,
            "failure_balance_transaction": nil, "failure_code": nil, "failure_message": nil, "fraud_details": [:],
            "livemode": false, "metadata": intent.document["metadata"] ?? [:], "on_behalf_of": nil,
            "outcome": [
                "network_status": "approved_by_network", "reason": nil, "risk_level": "normal", "risk_score": 24,
                "seller_message": "Payment complete.", "type": "authorized",
            ],
            "paid": false, "payment_intent": .string(intent.id), "payment_method": .string(method.id),
            "payment_method_details": [
                "card": [
                    "brand": card["brand"] ?? nil, "checks": card["checks"] ?? nil, "country": card["country"] ?? nil,
                    "exp_month": card["exp_month"] ?? nil, "exp_year": card["exp_year"] ?? nil,
                    "fingerprint": card["fingerprint"] ?? nil, "funding": card["funding"] ?? nil,
                    "last4": card["last4"] ?? nil,
                    "network": card["brand"] ?? nil, "three_d_secure": nil, "wallet": nil,
                ],
                "type": "card",
            ],
            "receipt_email": intent.document["receipt_email"] ?? nil, "receipt_number": nil, "receipt_url": nil,
            "refunded": false, "review": nil, "shipping": nil, "source": nil, "source_transfer": nil,
            "statement_descriptor": intent.document["statement_descriptor"] ?? nil,
            "statement_descriptor_suffix": intent.document["statement_descriptor_suffix"] ?? nil,
            "status": JSONValue(ChargeStatus.pending), "transfer_data": nil, "transfer_group": nil,
            "authorization_code": .string(Identifiers.random(length: 6).uppercased()), "level3": nil,
            "presentment_details": nil,
        ]
    }

    /// A charge the card's issuer declined.
    static func decline(_ charge: inout JSONValue, _ error: JunctionError) {
        charge["status"] = JSONValue(ChargeStatus.failed)
        charge["paid"] = false
        charge["captured"] = false
        charge["amount_captured"] = 0
        charge["failure_code"] = JSONValue(error.code)
        charge["failure_message"] = .string(error.message)
        charge["outcome"] = [
            "network_status": "declined_by_network", "reason": JSONValue(error.declineCode), "risk_level": "normal",
            "risk_score": 24, "seller_message": "The bank did not return any further details with this decline.",
            "type": "issuer_declined",
        ]
    }
}

/// The Stripe JSON of an application fee (F2).
enum ApplicationFeeDocument {
    static func new(
        _ id: String, amount: Int, currency: String, charge: String, account: String, application: String,
        balanceTransaction: String, now: Int
    ) -> JSONValue {
        [
            "id": .string(id), "object": "application_fee", "account": .string(account), "amount": .int(amount),
            "amount_refunded": 0, "application": .string(application),
            "balance_transaction": .string(balanceTransaction),
            "charge": .string(charge), "created": .int(now), "currency": .string(currency),
            "fee_source": ["charge": .string(charge), "type": "charge"], "livemode": false,
            "originating_transaction": nil, "refunded": false,
            "refunds": [
                "object": "list", "data": [], "has_more": false, "total_count": 0,
                "url": .string(Resource.feeRefunds(of: id)),
            ],
        ]
    }
}
