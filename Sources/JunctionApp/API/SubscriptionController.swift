import ConnectModel
import Foundation
import Hummingbird
import JunctionStorage
import StripeForm

/// Subscriptions of the acting account and their invoices (A5). The first invoice is paid at
/// once through the payment engine (a payment intent on the default payment method, with
/// `application_fee_percent` as its application fee). Updates change items for the next period
/// without proration invoices; renewals are not generated yet (see docs/connect-rules.md).
struct SubscriptionController: Sendable {
    let services: JunctionServices
    var payments: Payments { Payments(services: services) }

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(services: services)
        endpoint.add(.post, "/v1/subscriptions", to: router, Self.create, create)
        endpoint.add(
            .get, "/v1/subscriptions", to: router,
            ObjectParams.list([
                "customer": ParamSpec(.string),
                "status": ParamSpec(
                    .enumeration([
                        "active", "all", "canceled", "ended", "incomplete", "incomplete_expired", "past_due", "paused",
                        "trialing", "unpaid",
                    ])),
            ]), list)
        endpoint.add(.get, "/v1/subscriptions/:id", to: router, ObjectParams.expandOnly, retrieve)
        endpoint.add(.post, "/v1/subscriptions/:id", to: router, Self.update, update)
        endpoint.add(.delete, "/v1/subscriptions/:id", to: router, Self.cancelSchema, cancel)
        endpoint.add(
            .get, "/v1/invoices", to: router,
            ObjectParams.list(["customer": ParamSpec(.string), "subscription": ParamSpec(.string)]),
            listInvoices)
        endpoint.add(.get, "/v1/invoices/:id", to: router, ObjectParams.expandOnly, retrieveInvoice)
    }

    static let item = ParamType.object([
        "price": ParamSpec(.string, required: true), "quantity": ParamSpec(.integer(min: 1, max: 1_000_000)),
        "metadata": ParamSpec(.metadata),
    ])
    static let feePercent = ParamType.oneOf([.integer(min: 0, max: 100), .string(maxLength: 10)])
    static let create = ParamSchema([
        "customer": ParamSpec(.string, required: true),
        "items": ParamSpec(.array(item, maxCount: 20), required: true),
        "default_payment_method": ParamSpec(.string),
        "payment_behavior": ParamSpec(
            .enumeration(["allow_incomplete", "default_incomplete", "error_if_incomplete", "pending_if_incomplete"])),
        "collection_method": ParamSpec(.enumeration(["charge_automatically"])),
        "application_fee_percent": ParamSpec(feePercent),
        "cancel_at_period_end": ParamSpec(.boolean),
        "trial_period_days": ParamSpec(.integer(min: 0, max: 730)),
        "description": ParamSpec(.string(maxLength: 500)),
        "metadata": ParamSpec(.metadata, unsettable: true),
        "off_session": ParamSpec(.boolean),
        "proration_behavior": ParamSpec(.enumeration(["always_invoice", "create_prorations", "none"])),
        "expand": ParamSchema.expand,
    ])
    static let update = ParamSchema([
        "items": ParamSpec(
            .array(
                .object([
                    "id": ParamSpec(.string), "price": ParamSpec(.string),
                    "quantity": ParamSpec(.integer(min: 1, max: 1_000_000)),
                    "deleted": ParamSpec(.boolean), "metadata": ParamSpec(.metadata),
                ]), maxCount: 20)),
        "default_payment_method": ParamSpec(.string, unsettable: true),
        "cancel_at_period_end": ParamSpec(.boolean),
        "application_fee_percent": ParamSpec(feePercent, unsettable: true),
        "description": ParamSpec(.string(maxLength: 500), unsettable: true),
        "metadata": ParamSpec(.metadata, unsettable: true),
        "proration_behavior": ParamSpec(.enumeration(["always_invoice", "create_prorations", "none"])),
        "payment_behavior": ParamSpec(
            .enumeration(["allow_incomplete", "default_incomplete", "error_if_incomplete", "pending_if_incomplete"])),
        "expand": ParamSchema.expand,
    ])
    static let cancelSchema = ParamSchema([
        "invoice_now": ParamSpec(.boolean), "prorate": ParamSpec(.boolean),
        "cancellation_details": ParamSpec(
            .object([
                "comment": ParamSpec(.string(maxLength: 500), unsettable: true),
                "feedback": ParamSpec(
                    .enumeration([
                        "customer_service", "low_quality", "missing_features", "other", "switched_service",
                        "too_complex", "too_expensive", "unused",
                    ])),
            ])),
        "expand": ParamSchema.expand,
    ])

    // MARK: Create

    @Sendable func create(_ call: APICall) async throws -> APIResult {
        let now = services.clock.now()
        let context = Payments.context(call, now: now)
        let params = call.params
        let customerID = params["customer"]?.string ?? ""
        let feePercent = try Self.percent(params["application_fee_percent"])
        if feePercent != nil, context.application == nil {
            throw ConnectError.invalid(
                "application_fee_percent can only be used on a connected account (Stripe-Account header or OAuth access token).",
                param: "application_fee_percent")
        }
        let behavior = params["payment_behavior"]?.string ?? "allow_incomplete"
        let trialDays = params["trial_period_days"]?.integer ?? 0
        let requested = params["items"]?.array ?? []
        guard !requested.isEmpty else { throw ConnectError.missing("items") }

        let subscription = try await services.store.write { tx in
            var customer = try await tx.require(
                customerID, type: "customer", noun: "customer", account: context.account, param: "customer")
            let subscriptionID = Identifiers.make("sub")
            var items: [JSONValue] = []
            var currency: String?
            var interval: JSONValue?
            for (index, item) in requested.enumerated() {
                let priceID = item["price"]?.string ?? ""
                guard let price = try await tx.object(priceID, account: context.account), price.type == "price" else {
                    throw ConnectError.noSuch("price", priceID, param: "items[\(index)][price]")
                }
                guard price.document["type"] == "recurring", price.document["active"] != false else {
                    throw ConnectError.invalid(
                        "The price \(priceID) is not an active recurring price; subscriptions need recurring prices.",
                        param: "items[\(index)][price]")
                }
                let priceCurrency = price.document["currency"]?.stringValue
                if let currency, currency != priceCurrency {
                    throw ConnectError.invalid(
                        "All prices of a subscription must have the same currency.", param: "items[\(index)][price]")
                }
                if let interval, interval != price.document["recurring"] {
                    throw ConnectError.invalid(
                        "All prices of a subscription must have the same billing interval.",
                        param: "items[\(index)][price]")
                }
                currency = priceCurrency
                interval = price.document["recurring"]
                items.append(
                    Self.itemDocument(
                        price: price.publicDocument, quantity: item["quantity"]?.integer ?? 1,
                        subscription: subscriptionID, now: now))
            }
            let trialEnd = trialDays > 0 ? now + trialDays * 86_400 : nil
            let periodEnd = trialEnd ?? Self.advance(now, by: interval ?? nil)
            items = items.map { item in
                var item = item
                item["current_period_start"] = .int(now)
                item["current_period_end"] = .int(periodEnd)
                return item
            }
            var method =
                params["default_payment_method"]?.string
                ?? customer.document["invoice_settings"]?["default_payment_method"]?.stringValue
            if let chosen = method {
                // Test aliases become real payment methods attached to the customer.
                let attached = try await PaymentMethodController.attach(
                    chosen, to: &customer, account: context.account, in: tx, now: now, request: context.request)
                method = attached.id
            }
            var subscription: JSONValue = [
                "id": .string(subscriptionID), "object": "subscription",
                "application": context.application.map { .string($0.id) } ?? nil,
                "application_fee_percent": feePercent.map(JSONValue.double) ?? nil,
                "automatic_tax": ["disabled_reason": nil, "enabled": false, "liability": nil],
                "billing_cycle_anchor": .int(periodEnd), "cancel_at": nil,
                "cancel_at_period_end": .bool(params["cancel_at_period_end"]?.boolean ?? false), "canceled_at": nil,
                "cancellation_details": ["comment": nil, "feedback": nil, "reason": nil],
                "collection_method": "charge_automatically", "created": .int(now), "currency": JSONValue(currency),
                "customer": .string(customerID), "days_until_due": nil, "default_payment_method": JSONValue(method),
                "description": params["description"]?.string.map(JSONValue.string) ?? nil, "discounts": [],
                "ended_at": nil,
                "items": [
                    "object": "list", "data": .array(items), "has_more": false, "total_count": .int(items.count),
                    "url": .string("/v1/subscription_items?subscription=\(subscriptionID)"),
                ],
                "latest_invoice": nil, "livemode": false, "metadata": params["metadata"].map(AccountParams.json) ?? [:],
                "pending_update": nil, "start_date": .int(now), "status": "incomplete",
                "trial_end": JSONValue(trialEnd), "trial_start": trialEnd == nil ? nil : .int(now),
            ]
            if case .object(var metadata)? = subscription["metadata"] {
                metadata = metadata.filter { $0.value != .null }
                subscription["metadata"] = .object(metadata)
            }
            // The first invoice: for the trial (nothing to pay) or the first period.
            let amount =
                trialEnd != nil
                ? 0
                : items.reduce(0) { total, item in
                    total + (item["price"]?["unit_amount"]?.integerValue ?? 0) * (item["quantity"]?.integerValue ?? 1)
                }
            var invoice = Self.invoiceDocument(
                subscription: subscriptionID, customer: customer, items: items, amount: amount,
                currency: currency ?? "usd",
                periodStart: now, periodEnd: periodEnd, account: context.account, application: context.application?.id,
                paymentMethod: method, now: now)
            if amount == 0 {
                invoice["status"] = "paid"
                subscription["status"] = trialEnd != nil ? "trialing" : "active"
            } else if behavior == "default_incomplete" || method == nil {
                if method == nil, behavior == "error_if_incomplete" {
                    throw ConnectError.invalid(
                        "This customer has no attached payment source or default payment method. Please consider adding a default payment method.",
                        param: "default_payment_method", code: "resource_missing")
                }
                let intent = try await openIntent(
                    for: &invoice, amount: amount, currency: currency ?? "usd", customer: customerID, method: method,
                    feePercent: feePercent, in: tx, context: context)
                try await tx.insert(intent)
            } else {
                var intent = try await openIntent(
                    for: &invoice, amount: amount, currency: currency ?? "usd", customer: customerID, method: method,
                    feePercent: feePercent, in: tx, context: context)
                try await tx.insert(intent)
                switch try await payments.confirm(&intent, in: tx, context: context) {
                case .done(let paid):
                    Self.markPaid(&invoice, amount: amount, charge: paid.document["latest_charge"] ?? nil)
                    subscription["status"] = "active"
                case .declined(_, let error, _):
                    if behavior == "error_if_incomplete" { throw error }  // nothing is kept
                    invoice["attempted"] = true
                    invoice["attempt_count"] = 1
                }
            }
            subscription["latest_invoice"] = invoice["id"] ?? nil
            let invoiceObject = StoredObject(
                id: invoice["id"]!.stringValue!, account: context.account, type: "invoice", customer: customerID,
                parent: subscriptionID,
                created: now, document: invoice)
            // The clock renews it at the period's end; an unpaid first invoice expires it after 23 h.
            let status = subscription["status"]?.stringValue
            let stored = StoredObject(
                id: subscriptionID, account: context.account, type: "subscription", customer: customerID,
                lookup: status, created: now, dueAt: status == "incomplete" ? now + Self.incompleteExpiry : periodEnd,
                document: subscription)
            try await tx.insert(invoiceObject)
            try await tx.insert(stored)
            try await tx.emit(
                Event(
                    type: "customer.subscription.created", account: context.account, created: now, object: subscription,
                    request: context.request))
            for event in Self.invoiceEvents(
                invoice, paid: invoice["status"] == "paid", account: context.account, now: now,
                request: context.request)
            {
                try await tx.emit(event)
            }
            return stored
        }
        return APIResult(body: subscription.publicDocument)
    }

    /// The payment intent that pays an invoice.
    func openIntent(
        for invoice: inout JSONValue, amount: Int, currency: String, customer: String, method: String?,
        feePercent: Double?, description: String = "Subscription creation",
        in tx: any ObjectTransaction, context: Payments.Context
    ) async throws -> StoredObject {
        let id = Identifiers.make("pi")
        let fee = feePercent.map { Int((Double(amount) * $0 / 100).rounded()) }
        var document = PaymentIntentController.newIntent(
            id: id, amount: amount, currency: currency, context: context, paymentMethod: method, applicationFee: fee)
        document["customer"] = .string(customer)
        document["description"] = .string(description)
        invoice["payment_intent"] = .string(id)
        invoice["payments"] = [
            "object": "list", "has_more": false, "url": "/v1/invoice_payments",
            "data": [
                [
                    "object": "invoice_payment", "payment": ["payment_intent": .string(id), "type": "payment_intent"],
                    "status": "open",
                ]
            ],
        ]
        return StoredObject(
            id: id, account: context.account, type: "payment_intent", customer: customer, created: context.now,
            document: document)
    }

    // MARK: Retrieve, update, cancel, list

    @Sendable func retrieve(_ call: APICall) async throws -> APIResult {
        try await services.retrieveObject(call, type: "subscription", noun: "subscription")
    }

    @Sendable func update(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let now = services.clock.now()
        let context = Payments.context(call, now: now)
        let params = call.params
        let feePercent = try Self.percent(params["application_fee_percent"])
        let subscription = try await services.store.write { tx in
            var subscription = try await tx.require(
                id, type: "subscription", noun: "subscription", account: context.account)
            guard subscription.document["status"] != "canceled" else {
                throw ConnectError.invalid(
                    "A canceled subscription can only update its cancellation_details and metadata.",
                    code: "resource_missing")
            }
            let before = subscription.document
            var items = subscription.document["items"]?["data"]?.arrayItems ?? []
            for (index, change) in (params["items"]?.array ?? []).enumerated() {
                let position = change["id"]?.string.flatMap { itemID in
                    items.firstIndex { $0["id"]?.stringValue == itemID }
                }
                if change["id"]?.string != nil, position == nil {
                    throw ConnectError.noSuch("subscription item", change["id"]!.string!, param: "items[\(index)][id]")
                }
                if change["deleted"]?.boolean == true, let position {
                    items.remove(at: position)
                    continue
                }
                var item: JSONValue
                if let position {
                    item = items[position]
                } else {
                    guard change["price"]?.string != nil else { throw ConnectError.missing("items[\(index)][price]") }
                    item = Self.itemDocument(price: [:], quantity: 1, subscription: id, now: now)
                    item["current_period_start"] = items.first?["current_period_start"] ?? .int(now)
                    item["current_period_end"] = items.first?["current_period_end"] ?? .int(now)
                }
                if let priceID = change["price"]?.string {
                    guard let price = try await tx.object(priceID, account: context.account), price.type == "price",
                        price.document["type"] == "recurring"
                    else { throw ConnectError.noSuch("price", priceID, param: "items[\(index)][price]") }
                    item["price"] = price.publicDocument
                }
                if let quantity = change["quantity"]?.integer { item["quantity"] = .int(quantity) }
                if let position { items[position] = item } else { items.append(item) }
            }
            guard !items.isEmpty else {
                throw ConnectError.invalid("A subscription needs at least one item.", param: "items")
            }
            subscription.document["items"]?["data"] = .array(items)
            subscription.document["items"]?["total_count"] = .int(items.count)
            if let value = params["cancel_at_period_end"]?.boolean {
                subscription.document["cancel_at_period_end"] = .bool(value)
                subscription.document["cancel_at"] = value ? (items.first?["current_period_end"] ?? nil) : nil
            }
            if params["application_fee_percent"] != nil {
                subscription.document["application_fee_percent"] = feePercent.map(JSONValue.double) ?? nil
            }
            if let method = params["default_payment_method"] {
                subscription.document["default_payment_method"] = method == .unset ? nil : JSONValue(method.string)
            }
            let patch = ObjectParams.patch(
                params,
                leaving: [
                    "items", "cancel_at_period_end", "application_fee_percent", "default_payment_method",
                    "proration_behavior", "payment_behavior",
                ])
            subscription.document = subscription.document.patched(with: patch)
            try await tx.update(
                subscription, emitting: "customer.subscription.updated", since: before, now: now,
                request: context.request)
            return subscription
        }
        return APIResult(body: subscription.publicDocument)
    }

    @Sendable func cancel(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let now = services.clock.now()
        let context = Payments.context(call, now: now)
        let details = call.params["cancellation_details"]
        let subscription = try await services.store.write { tx in
            var subscription = try await tx.require(
                id, type: "subscription", noun: "subscription", account: context.account)
            guard subscription.document["status"] != "canceled" else {
                throw ConnectError.invalid("This subscription has already been canceled.", code: "resource_missing")
            }
            subscription.document["status"] = "canceled"
            subscription.document["canceled_at"] = .int(now)
            subscription.document["ended_at"] = .int(now)
            subscription.document["cancellation_details"] = [
                "comment": details?["comment"]?.string.map(JSONValue.string) ?? nil,
                "feedback": details?["feedback"]?.string.map(JSONValue.string) ?? nil,
                "reason": "cancellation_requested",
            ]
            subscription.lookup = "canceled"
            subscription.dueAt = nil
            try await tx.update(subscription)
            try await tx.emit(
                Event(
                    type: "customer.subscription.deleted", account: context.account, created: now,
                    object: subscription.publicDocument, request: context.request))
            return subscription
        }
        return APIResult(body: subscription.publicDocument)
    }

    @Sendable func list(_ call: APICall) async throws -> APIResult {
        let status = call.params["status"]?.string
        return try await services.listObjects(
            call, type: "subscription", url: "/v1/subscriptions",
            filter: ObjectFilter(
                customer: call.params["customer"]?.string, lookup: status == "all" ? nil : status,
                excludeLookup: status == nil ? "canceled" : nil))
    }

    @Sendable func listInvoices(_ call: APICall) async throws -> APIResult {
        try await services.listObjects(
            call, type: "invoice", url: "/v1/invoices",
            filter: ObjectFilter(customer: call.params["customer"]?.string, parent: call.params["subscription"]?.string)
        )
    }

    @Sendable func retrieveInvoice(_ call: APICall) async throws -> APIResult {
        try await services.retrieveObject(call, type: "invoice", noun: "invoice")
    }

    // MARK: Documents

    static func itemDocument(price: JSONValue, quantity: Int, subscription: String, now: Int) -> JSONValue {
        [
            "id": .string(Identifiers.make("si")), "object": "subscription_item", "created": .int(now), "discounts": [],
            "metadata": [:], "price": price, "quantity": .int(quantity), "subscription": .string(subscription),
            "tax_rates": [],
        ]
    }

    static func invoiceDocument(
        subscription: String, customer: StoredObject, items: [JSONValue], amount: Int, currency: String,
        periodStart: Int,
        periodEnd: Int, account: String, application: String?, paymentMethod: String?, now: Int
    ) -> JSONValue {
        let id = Identifiers.make("in")
        let lines: [JSONValue] = items.map { item in
            let unit = item["price"]?["unit_amount"]?.integerValue ?? 0
            let quantity = item["quantity"]?.integerValue ?? 1
            let lineAmount = amount == 0 ? 0 : unit * quantity
            return [
                "id": .string(Identifiers.make("il")), "object": "line_item", "amount": .int(lineAmount),
                "currency": .string(currency),
                "description": .string("\(quantity) × \(item["price"]?["nickname"]?.stringValue ?? "subscription")"),
                "invoice": .string(id), "livemode": false, "metadata": [:],
                "period": ["end": .int(periodEnd), "start": .int(periodStart)],
                "pricing": [
                    "price_details": [
                        "price": item["price"]?["id"] ?? nil, "product": item["price"]?["product"] ?? nil,
                    ], "type": "price_details", "unit_amount_decimal": .string(String(unit)),
                ],
                "quantity": .int(quantity),
                "parent": [
                    "subscription_item_details": [
                        "subscription": .string(subscription), "subscription_item": item["id"] ?? nil,
                    ], "type": "subscription_item_details",
                ],
            ]
        }
        return [
            "id": .string(id), "object": "invoice", "account_country": "US", "amount_due": .int(amount),
            "amount_paid": 0,
            "amount_remaining": .int(amount), "application": JSONValue(application), "attempt_count": 0,
            "attempted": false,
            "auto_advance": true, "billing_reason": "subscription_create", "collection_method": "charge_automatically",
            "created": .int(now), "currency": .string(currency), "customer": .string(customer.id),
            "customer_email": customer.document["email"] ?? nil, "customer_name": customer.document["name"] ?? nil,
            "default_payment_method": JSONValue(paymentMethod), "description": nil, "hosted_invoice_url": nil,
            "lines": [
                "object": "list", "data": .array(lines), "has_more": false, "total_count": .int(lines.count),
                "url": .string("/v1/invoices/\(id)/lines"),
            ],
            "livemode": false, "metadata": [:], "number": .string("\(Identifiers.random(length: 8).uppercased())-0001"),
            "parent": [
                "subscription_details": ["metadata": [:], "subscription": .string(subscription)], "quote_details": nil,
                "type": "subscription_details",
            ],
            "period_end": .int(periodStart), "period_start": .int(periodStart), "status": "open",
            "subtotal": .int(amount),
            "total": .int(amount), "total_excluding_tax": .int(amount),
        ]
    }

    /// `application_fee_percent` as a number from 0 to 100 (Stripe allows two decimals).
    static func percent(_ value: ParamValue?) throws -> Double? {
        switch value {
        case nil, .unset?: return nil
        case .integer(let percent)?: return Double(percent)
        case .string(let text)?:
            guard let percent = Double(text), percent >= 0, percent <= 100 else {
                throw ConnectError.invalid(
                    "application_fee_percent must be a number from 0 to 100.", param: "application_fee_percent")
            }
            return percent
        default: return nil
        }
    }

    /// The end of a period starting at `start` for a price's `recurring` interval.
    static func advance(_ start: Int, by recurring: JSONValue?) -> Int {
        let count = recurring?["interval_count"]?.integerValue ?? 1
        var components = DateComponents()
        switch recurring?["interval"]?.stringValue {
        case "day": components.day = count
        case "week": components.day = 7 * count
        case "year": components.year = count
        default: components.month = count
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let end = calendar.date(byAdding: components, to: Date(timeIntervalSince1970: TimeInterval(start)))!
        return Int(end.timeIntervalSince1970)
    }

}
