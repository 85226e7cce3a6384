import ConnectModel
import JunctionStorage

/// The Stripe JSON of a subscription's invoices, and what paying one changes.
enum InvoiceDocument {
    static func new(
        subscription: String, customer: StoredObject, items: [JSONValue], amount: Int, currency: String,
        periodStart: Int, periodEnd: Int, application: String?, paymentMethod: String?, reason: BillingReason,
        now: Int
    ) -> JSONValue {
        let id = Resource.invoice.newID()
        let lines: [JSONValue] = items.map { item in
            let unit = item["price"]?["unit_amount_decimal"] ?? .null
            let quantity = item["quantity"]?.integerValue ?? 1
            // A proration carries its own (signed) amount and words.
            let lineAmount =
                item[Proration.amountField]?.integerValue ?? (amount == 0 ? 0 : BillingPeriod.amount(of: item))
            let description =
                item[Proration.descriptionField]?.stringValue
                ?? "\(quantity) × \(item["price"]?["nickname"]?.stringValue ?? "subscription")"
            return [
                "id": .string(Identifiers.make(Resource.invoiceLinePrefix)), "object": "line_item",
                "amount": .int(lineAmount), "currency": .string(currency), "discount_amounts": [],
                "discountable": true, "discounts": [],
                "description": .string(description),
                "invoice": .string(id), "livemode": false, "metadata": [:],
                "period": item[BillingPeriod.linePeriodField] ?? ["end": .int(periodEnd), "start": .int(periodStart)],
                "pricing": [
                    "price_details": [
                        "price": item["price"]?["id"] ?? nil, "product": item["price"]?["product"] ?? nil,
                    ], "type": "price_details", "unit_amount_decimal": unit,
                ],
                "quantity": .int(quantity), "quantity_decimal": .string(String(quantity)),
                "pretax_credit_amounts": [], "subtotal": .int(lineAmount), "taxes": [],
                "subscription": .string(subscription),
                "parent": [
                    "subscription_item_details": [
                        "invoice_item": nil, "proration": .bool(item[Proration.amountField] != nil),
                        "proration_details": ["credited_items": nil], "subscription": .string(subscription),
                        "subscription_item": item["id"] ?? nil,
                    ], "type": "subscription_item_details",
                ],
            ]
        }
        return [
            "id": .string(id), "object": "invoice", "account_country": "US", "amount_due": .int(amount),
            "amount_paid": 0, "amount_remaining": .int(amount), "application": JSONValue(application),
            "attempt_count": 0, "attempted": false, "auto_advance": true,
            "billing_reason": .string(reason.rawValue), "collection_method": "charge_automatically",
            "created": .int(now), "currency": .string(currency), "customer": .string(customer.id),
            "customer_email": customer.document["email"] ?? nil, "customer_name": customer.document["name"] ?? nil,
            "default_payment_method": JSONValue(paymentMethod), "description": nil, "discounts": [],
            "hosted_invoice_url": nil,
            "lines": [
                "object": "list", "data": .array(lines), "has_more": false, "total_count": .int(lines.count),
                "url": .string("\(Resource.invoice.path)/\(id)/lines"),
            ],
            "livemode": false, "metadata": [:], "number": .string("\(Identifiers.random(length: 8).uppercased())-0001"),
            "parent": [
                "subscription_details": ["metadata": [:], "subscription": .string(subscription)], "quote_details": nil,
                "type": "subscription_details",
            ],
            "period_end": .int(periodStart), "period_start": .int(periodStart), "status": JSONValue(InvoiceStatus.open),
            "subtotal": .int(amount), "total": .int(amount), "total_discount_amounts": [],
            "total_excluding_tax": .int(amount),
            // Fields Stripe always sends, at their defaults: Junction has nothing else to say.
            "account_name": nil, "account_tax_ids": nil, "amount_overpaid": 0, "amount_paid_off_stripe": 0,
            "amount_shipping": 0,
            "automatic_tax": [
                "disabled_reason": nil, "enabled": false, "liability": nil, "provider": nil, "status": nil,
            ],
            "automatically_finalizes_at": nil, "custom_fields": nil, "customer_account": nil,
            "customer_address": customer.document["address"] ?? nil,
            "customer_phone": customer.document["phone"] ?? nil,
            "customer_shipping": customer.document["shipping"] ?? nil, "customer_tax_exempt": "none",
            "customer_tax_ids": [], "default_source": nil, "default_tax_rates": [], "due_date": nil,
            "effective_at": .int(now), "ending_balance": 0, "footer": nil, "from_invoice": nil, "invoice_pdf": nil,
            "issuer": ["type": "self"], "last_finalization_error": nil, "latest_revision": nil,
            "next_payment_attempt": nil, "on_behalf_of": nil,
            "payment_settings": ["default_mandate": nil, "payment_method_options": nil, "payment_method_types": nil],
            "post_payment_credit_notes_amount": 0, "pre_payment_credit_notes_amount": 0, "receipt_number": nil,
            "rendering": nil, "shipping_cost": nil, "shipping_details": nil, "starting_balance": 0,
            "statement_descriptor": nil, "status_details": nil,
            "status_transitions": [
                "finalized_at": .int(now), "marked_uncollectible_at": nil, "paid_at": nil, "voided_at": nil,
            ],
            "subtotal_excluding_tax": .int(amount), "test_clock": nil, "threshold_reason": nil,
            "total_pretax_credit_amounts": [], "total_taxes": [], "webhooks_delivered_at": nil,
            "payments": [
                "object": "list", "data": [], "has_more": false, "total_count": 0, "url": "/v1/invoice_payments",
            ],
        ]
    }

    /// Applies the customer's balance, as Stripe does when it finalizes an invoice: a credit
    /// (negative) lowers what is due, a debit raises it, and a credit the invoice leaves (its
    /// total below zero, as prorations can make it) becomes the customer's balance. The amount due.
    static func applyBalance(
        _ invoice: inout JSONValue, of customer: inout StoredObject, in tx: any ObjectTransaction, caller: Caller
    ) async throws -> Int {
        let total = invoice["total"]?.integerValue ?? 0
        let starting = customer.document["balance"]?.integerValue ?? 0
        let owed = total + starting
        let due = max(0, owed)
        let ending = min(0, owed)
        invoice["starting_balance"] = .int(starting)
        invoice["ending_balance"] = .int(ending)
        invoice["amount_due"] = .int(due)
        invoice["amount_remaining"] = .int(due)
        if ending != starting, customer.document["id"] != nil {
            let before = customer.document
            customer.document["balance"] = .int(ending)
            try await tx.update(customer, emitting: Resource.customer.events.updated, since: before, caller: caller)
        }
        return due
    }

    /// Sent to the customer to pay by `daysUntilDue` days from `now` (`collection_method=send_invoice`).
    static func send(_ invoice: inout JSONValue, daysUntilDue: Int, now: Int) {
        invoice["collection_method"] = .string(CollectionMethod.sendInvoice.rawValue)
        invoice["due_date"] = .int(now + daysUntilDue * 86_400)
    }

    /// The invoice's payment succeeded.
    static func markPaid(_ invoice: inout JSONValue, amount: Int, now: Int) {
        invoice["status"] = JSONValue(InvoiceStatus.paid)
        invoice["amount_paid"] = .int(amount)
        invoice["amount_remaining"] = 0
        invoice["attempted"] = true
        invoice["attempt_count"] = 1
        invoice["status_transitions"]?["paid_at"] = .int(now)
        if var payment = invoice["payments"]?["data"]?.arrayItems?.first {
            payment["status"] = "paid"
            payment["amount_paid"] = .int(amount)
            payment["status_transitions"]?["paid_at"] = .int(now)
            invoice["payments"]?["data"] = [payment]
        }
    }

    /// A payment was attempted (and failed, unless marked paid after).
    static func markAttempted(_ invoice: inout JSONValue) {
        invoice["attempted"] = true
        invoice["attempt_count"] = 1
    }

    /// `invoice.created`, `.finalized`, then `.paid` and `.payment_succeeded`, or `.payment_failed`
    /// when a payment was attempted and failed.
    static func events(paid: Bool, attempted: Bool) -> [EventType] {
        var types: [EventType] = [.invoiceCreated, .invoiceFinalized]
        if paid {
            types += [.invoicePaid, .invoicePaymentSucceeded]
        } else if attempted {
            types.append(.invoicePaymentFailed)
        }
        return types
    }
}
