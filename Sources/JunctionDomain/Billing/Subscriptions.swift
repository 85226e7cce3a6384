import ConnectModel
import JunctionStorage

/// Subscriptions of an account and their invoices (A5). The first invoice is paid at once
/// through the payment engine (a payment intent on the default payment method, with
/// `application_fee_percent` as its application fee); the clock renews each period
/// (``renew(_:account:now:)``). Item changes apply from the next period, without proration.
public struct Subscriptions: Sendable {
    let store: any ObjectStore

    public init(store: any ObjectStore) {
        self.store = store
    }

    /// How long a subscription whose first invoice is unpaid stays `incomplete` (Stripe: 23 hours).
    public static let incompleteExpiry = 23 * 3_600

    /// `payment_behavior`: what happens when the first invoice cannot be paid at once.
    public enum PaymentBehavior: String, Sendable {
        case allowIncomplete = "allow_incomplete"
        case defaultIncomplete = "default_incomplete"
        case errorIfIncomplete = "error_if_incomplete"
        case pendingIfIncomplete = "pending_if_incomplete"
    }

    /// What `POST /v1/subscriptions` asks for.
    public struct Creation: Sendable {
        public var customer: String
        public var items: [(price: String, quantity: Int?)]
        public var defaultPaymentMethod: String?
        public var paymentBehavior: PaymentBehavior
        public var applicationFeePercent: Double?
        public var cancelAtPeriodEnd: Bool
        public var trialPeriodDays: Int
        public var description: String?
        public var metadata: JSONValue
        public var collectionMethod: CollectionMethod
        /// Days a `send_invoice` invoice has to be paid.
        public var daysUntilDue: Int?
        /// `payment_settings` as sent (`save_default_payment_method`, `payment_method_types`).
        public var paymentSettings: JSONValue?
        /// `transfer_data[destination]`: each invoice's payment is a destination charge (F6).
        public var destination: DestinationCharge?
        /// `transfer_data[amount_percent]`: the share of each payment sent on (all when `nil`).
        public var transferPercent: Double?

        public init(
            customer: String, items: [(price: String, quantity: Int?)], defaultPaymentMethod: String? = nil,
            paymentBehavior: PaymentBehavior = .allowIncomplete, applicationFeePercent: Double? = nil,
            cancelAtPeriodEnd: Bool = false, trialPeriodDays: Int = 0, description: String? = nil,
            metadata: JSONValue = [:], collectionMethod: CollectionMethod = .chargeAutomatically,
            daysUntilDue: Int? = nil, paymentSettings: JSONValue? = nil
        ) {
            self.paymentSettings = paymentSettings
            self.collectionMethod = collectionMethod
            self.daysUntilDue = daysUntilDue
            self.customer = customer
            self.items = items
            self.defaultPaymentMethod = defaultPaymentMethod
            self.paymentBehavior = paymentBehavior
            self.applicationFeePercent = applicationFeePercent
            self.cancelAtPeriodEnd = cancelAtPeriodEnd
            self.trialPeriodDays = trialPeriodDays
            self.description = description
            self.metadata = metadata
        }
    }

    public func create(_ creation: Creation, caller: Caller) async throws -> StoredObject {
        if let destination = creation.destination {
            try Transfers.checkCapability(destination.account, param: "transfer_data[destination]")
        }
        if creation.applicationFeePercent != nil, caller.application == nil, creation.destination == nil {
            throw JunctionError.invalid(
                "application_fee_percent can only be used on a connected account (Stripe-Account header or OAuth access token).",
                param: "application_fee_percent")
        }
        guard !creation.items.isEmpty else { throw JunctionError.missing("items") }
        try Self.checkCollection(creation.collectionMethod, daysUntilDue: creation.daysUntilDue)
        let now = caller.now
        return try await store.write { tx in
            let customer = try await tx.require(
                .customer, creation.customer, account: caller.account, param: "customer")
            let subscriptionID = Resource.subscription.newID()
            var items: [JSONValue] = []
            var currency: String?
            var interval: JSONValue?
            for (index, requested) in creation.items.enumerated() {
                let param = "items[\(index)][price]"
                guard let price = try await tx.object(requested.price, account: caller.account), price.kind == .price
                else { throw Resource.price.noSuch(requested.price, param: param) }
                guard Prices.isRecurring(price), price.status(ActiveStatus.self) == .active else {
                    throw JunctionError.invalid(
                        "The price \(requested.price) is not an active recurring price; subscriptions need recurring prices.",
                        param: param)
                }
                let priceCurrency = price.document["currency"]?.stringValue
                if let currency, currency != priceCurrency {
                    throw JunctionError.invalid(
                        "All prices of a subscription must have the same currency.", param: param)
                }
                if let interval, !BillingPeriod.sameInterval(interval, price.document["recurring"]) {
                    throw JunctionError.invalid(
                        "All prices of a subscription must have the same billing interval.", param: param)
                }
                currency = priceCurrency
                interval = price.document["recurring"]
                let metered = Prices.isMetered(price.document)
                if metered, requested.quantity != nil {
                    throw Self.meteredQuantity(param: "items[\(index)][quantity]")
                }
                items.append(
                    // The price's private tiers travel with it: they bill the item's periods.
                    Self.item(
                        price: price.document, quantity: metered ? nil : requested.quantity ?? 1,
                        subscription: subscriptionID,
                        now: now))
            }
            try Self.checkPeriodCost(items)
            let trialEnd = creation.trialPeriodDays > 0 ? now + creation.trialPeriodDays * 86_400 : nil
            let periodEnd = trialEnd ?? BillingPeriod.end(from: now, recurring: interval ?? nil)
            items = BillingPeriod.items(items, start: now, end: periodEnd)
            var method =
                creation.defaultPaymentMethod
                ?? customer.document["invoice_settings"]?["default_payment_method"]?.stringValue
            if let chosen = method {
                // Test aliases become real payment methods attached to the customer.
                method = try await PaymentMethods.attach(chosen, to: customer, in: tx, caller: caller).id
            }
            var subscription = Self.document(
                subscriptionID, creation, caller: caller, currency: currency, method: method, items: items,
                periodEnd: periodEnd, trialEnd: trialEnd)
            // The first invoice: for the trial (nothing to pay) or the first period; usage is
            // billed when the period ends.
            let lines = items.map {
                BillingPeriod.isMetered($0) ? BillingPeriod.usage($0, 0, start: now, end: periodEnd) : $0
            }
            let amount = trialEnd != nil ? 0 : BillingPeriod.amount(of: lines)
            var invoice = InvoiceDocument.new(
                subscription: subscriptionID, customer: customer, items: lines, amount: amount,
                currency: currency ?? "usd", periodStart: now, periodEnd: periodEnd,
                application: caller.application?.id,
                paymentMethod: method, reason: .subscriptionCreate, now: now)
            // Read again: attaching the payment method may have changed the customer.
            var payer = try await tx.require(.customer, customer.id, account: caller.account)
            if payer.document["currency"] == nil || payer.document["currency"] == .null, let currency {
                // As on Stripe, a customer's first subscription sets the currency it is billed in.
                let before = payer.document
                payer.document["currency"] = .string(currency)
                try await tx.update(payer, emitting: Resource.customer.events.updated, since: before, caller: caller)
            }
            let due = try await InvoiceDocument.applyBalance(&invoice, of: &payer, in: tx, caller: caller)
            var paid = false
            var status = SubscriptionStatus.incomplete
            if due == 0 {
                invoice["status"] = JSONValue(InvoiceStatus.paid)
                paid = true
                status = trialEnd != nil ? .trialing : .active
            } else if creation.collectionMethod == .sendInvoice {
                // Open for the customer to pay by its due date; the subscription is active meanwhile.
                InvoiceDocument.send(&invoice, daysUntilDue: creation.daysUntilDue ?? 0, now: now)
                try await tx.insert(
                    Self.openIntent(
                        for: &invoice, amount: due, currency: currency ?? "usd", customer: customer.id,
                        method: nil, subscription: subscription, caller: caller))
                status = .active
            } else if creation.paymentBehavior == .defaultIncomplete || method == nil {
                if method == nil, creation.paymentBehavior == .errorIfIncomplete {
                    throw JunctionError.invalid(
                        "This customer has no attached payment source or default payment method. Please consider adding a default payment method.",
                        param: "default_payment_method", code: "resource_missing")
                }
                try await tx.insert(
                    Self.openIntent(
                        for: &invoice, amount: due, currency: currency ?? "usd", customer: customer.id,
                        method: method, subscription: subscription, caller: caller))
            } else {
                var intent = Self.openIntent(
                    for: &invoice, amount: due, currency: currency ?? "usd", customer: customer.id, method: method,
                    subscription: subscription, caller: caller)
                try await tx.insert(intent)
                switch try await PaymentEngine.confirm(&intent, in: tx, caller: caller) {
                case .done(let charged):
                    InvoiceDocument.markPaid(&invoice, amount: due, now: caller.now)
                    paid = true
                    status = .active
                case .declined(_, let error, _):
                    if creation.paymentBehavior == .errorIfIncomplete { throw error }  // nothing is kept
                    InvoiceDocument.markAttempted(&invoice)
                }
            }
            subscription["latest_invoice"] = invoice["id"] ?? nil
            subscription["status"] = JSONValue(status)
            if let settings = creation.paymentSettings {
                subscription["payment_settings"] = try Self.paymentSettings(
                    subscription["payment_settings"] ?? [:], patched: settings)
            }
            subscription["collection_method"] = .string(creation.collectionMethod.rawValue)
            subscription["days_until_due"] = JSONValue(creation.daysUntilDue)
            // The clock renews it at the period's end; an unpaid first invoice expires it after
            // 23 h; a sent one makes it `past_due` at its due date.
            let stored = StoredObject(
                id: subscriptionID, account: caller.account, kind: .subscription, created: now,
                dueAt: status == .incomplete
                    ? now + Self.incompleteExpiry : Self.nextDue(periodEnd: periodEnd, invoice: invoice),
                document: subscription)
            try await tx.insert(
                StoredObject(
                    id: invoice["id"]?.stringValue ?? "", account: caller.account, kind: .invoice, created: now,
                    document: invoice))
            try await tx.create(stored, caller: caller)
            for type in InvoiceDocument.events(paid: paid, attempted: invoice["attempted"] == true) {
                try await tx.emit(type, invoice, caller: caller)
            }
            return stored
        }
    }

    /// One change of `items` in `POST /v1/subscriptions/{id}`.
    public struct ItemChange: Sendable {
        public var id: String?
        public var price: String?
        public var quantity: Int?
        public var deleted: Bool
        /// A patch of the item's `metadata`.
        public var metadata: JSONValue?

        public init(
            id: String? = nil, price: String? = nil, quantity: Int? = nil, deleted: Bool = false,
            metadata: JSONValue? = nil
        ) {
            self.id = id
            self.price = price
            self.quantity = quantity
            self.deleted = deleted
            self.metadata = metadata
        }
    }

    /// `POST /v1/subscriptions/{id}`: items and `cancel_at_period_end` change what the next
    /// period bills; `fields` patches the rest (`description`, `metadata`,
    /// `default_payment_method`, `application_fee_percent`).
    public func update(
        _ id: String, items changes: [ItemChange]?, cancelAtPeriodEnd: Bool?, fields: JSONValue,
        proration: ProrationBehavior = .createProrations, paymentBehavior: PaymentBehavior = .allowIncomplete,
        caller: Caller
    ) async throws -> StoredObject {
        let now = caller.now
        return try await store.write { tx in
            var subscription = try await tx.require(.subscription, id, account: caller.account)
            guard subscription.status(SubscriptionStatus.self) != .canceled else {
                throw JunctionError.invalid(
                    "A canceled subscription can only update its cancellation_details and metadata.",
                    code: "resource_missing")
            }
            let before = subscription.document
            var items = subscription.document["items"]?["data"]?.arrayItems ?? []
            for (index, change) in (changes ?? []).enumerated() {
                let position = change.id.flatMap { itemID in items.firstIndex { $0["id"]?.stringValue == itemID } }
                if let itemID = change.id, position == nil {
                    throw JunctionError.noSuch("subscription item", itemID, param: "items[\(index)][id]")
                }
                if change.deleted, let position {
                    items.remove(at: position)
                    continue
                }
                var item: JSONValue
                if let position {
                    item = items[position]
                } else {
                    guard change.price != nil else { throw JunctionError.missing("items[\(index)][price]") }
                    item = Self.item(price: [:], quantity: 1, subscription: id, now: now)
                    item["current_period_start"] = items.first?["current_period_start"] ?? .int(now)
                    item["current_period_end"] = items.first?["current_period_end"] ?? .int(now)
                    item["billed_until"] = item["current_period_end"] ?? .int(now)
                }
                if let priceID = change.price {
                    guard let price = try await tx.object(priceID, account: caller.account), price.kind == .price,
                        Prices.isRecurring(price)
                    else { throw Resource.price.noSuch(priceID, param: "items[\(index)][price]") }
                    item["price"] = price.document
                    item["plan"] = PriceType.plan(of: price.publicDocument)
                }
                if Prices.isMetered(item["price"]) {
                    guard change.quantity == nil else { throw Self.meteredQuantity(param: "items[\(index)][quantity]") }
                    item["quantity"] = .null
                } else if let quantity = change.quantity {
                    item["quantity"] = .int(quantity)
                } else if item["quantity"] == nil || item["quantity"] == .null {
                    item["quantity"] = 1
                }
                if let metadata = change.metadata { item = item.patched(with: ["metadata": metadata]) }
                if let position { items[position] = item } else { items.append(item) }
            }
            guard !items.isEmpty else {
                throw JunctionError.invalid("A subscription needs at least one item.", param: "items")
            }
            try Self.checkPeriodCost(items)
            subscription.document["items"]?["data"] = .array(items)
            subscription.document["items"]?["total_count"] = .int(items.count)
            try await Self.prorate(
                &subscription, from: before["items"]?["data"]?.arrayItems ?? [], to: items, behavior: proration,
                paymentBehavior: paymentBehavior, in: tx, caller: caller)
            if let cancelAtPeriodEnd {
                subscription.document["cancel_at_period_end"] = .bool(cancelAtPeriodEnd)
                subscription.document["cancel_at"] =
                    cancelAtPeriodEnd ? (items.first?["current_period_end"] ?? nil) : .null
            }
            var fields = fields
            if let chosen = fields["default_payment_method"]?.stringValue {
                // Renewals charge it: it must be the customer's (a test alias is attached first).
                let customer = try await tx.require(
                    .customer, before["customer"]?.stringValue ?? "", account: caller.account)
                fields["default_payment_method"] = .string(
                    try await PaymentMethods.attach(
                        chosen, to: customer, in: tx, caller: caller, param: "default_payment_method"
                    ).id)
            }
            if let settings = fields["payment_settings"] {
                fields["payment_settings"] = try Self.paymentSettings(
                    before["payment_settings"] ?? [:], patched: settings)
            }
            subscription.document = subscription.document.patched(with: fields)
            try Self.checkCollection(
                subscription.document["collection_method"]?.stringValue.flatMap(CollectionMethod.init)
                    ?? .chargeAutomatically,
                daysUntilDue: subscription.document["days_until_due"]?.integerValue)
            try await tx.update(subscription, emitting: .subscriptionUpdated, since: before, caller: caller)
            return subscription
        }
    }

    /// Stripe charges at most 99,999,999 minor units at once: a subscription whose items cost more
    /// a period could never be paid.
    static func checkPeriodCost(_ items: [JSONValue]) throws {
        guard BillingPeriod.amount(of: items) <= Amounts.maximumCharge else { throw Amounts.tooLarge(param: "items") }
    }

    /// `payment_settings` with a request's changes: its `payment_method_types` are Stripe's.
    static func paymentSettings(_ settings: JSONValue, patched changes: JSONValue) throws -> JSONValue {
        var changes = changes
        if let types = changes["payment_method_types"]?.arrayItems {
            changes["payment_method_types"] = .array(
                try PaymentMethodTypes.validated(types.compactMap(\.stringValue)).map(JSONValue.string))
        }
        return settings.patched(with: changes)
    }

    /// Stripe's rule: `days_until_due` goes with `send_invoice`, which needs it.
    static func checkCollection(_ method: CollectionMethod, daysUntilDue: Int?) throws {
        switch method {
        case .sendInvoice where daysUntilDue == nil:
            throw JunctionError.invalid(
                "`days_until_due` is required when `collection_method` is `send_invoice`.", param: "days_until_due")
        case .chargeAutomatically where daysUntilDue != nil:
            throw JunctionError.invalid(
                "`days_until_due` can only be set when `collection_method` is `send_invoice`.", param: "days_until_due")
        default: return
        }
    }

    /// When the clock must next look at a subscription: its period's end, or before it the due
    /// date of its open sent invoice.
    static func nextDue(periodEnd: Int, invoice: JSONValue) -> Int {
        guard invoice.status(InvoiceStatus.self) == .open, let due = invoice["due_date"]?.integerValue else {
            return periodEnd
        }
        return min(due, periodEnd)
    }

    /// `DELETE /v1/subscriptions/{id}`: canceled at once.
    public func cancel(_ id: String, comment: String?, feedback: String?, caller: Caller) async throws -> StoredObject {
        try await store.write { tx in
            var subscription = try await tx.require(.subscription, id, account: caller.account)
            guard subscription.status(SubscriptionStatus.self) != .canceled else {
                throw JunctionError.invalid("This subscription has already been canceled.", code: "resource_missing")
            }
            subscription.setStatus(SubscriptionStatus.canceled)
            subscription.document["canceled_at"] = .int(caller.now)
            subscription.document["ended_at"] = .int(caller.now)
            subscription.document["cancellation_details"] = [
                "comment": JSONValue(comment), "feedback": JSONValue(feedback), "reason": "cancellation_requested",
            ]
            subscription.dueAt = nil
            try await tx.update(subscription)
            try await tx.emit(.subscriptionDeleted, subscription.document, caller: caller)
            return subscription
        }
    }

    /// The subscriptions list: `status` one of Stripe's values, `all`, or (by default) all but
    /// canceled ones.
    public static func filter(customer: String?, status: String?) -> ObjectFilter {
        ObjectFilter(
            customer: customer, statuses: status == nil || status == "all" ? nil : [status!],
            excludedStatuses: status == nil ? [SubscriptionStatus.canceled.rawValue] : [])
    }

    /// Stripe's refusal of a quantity on a metered price: its usage is the quantity.
    static func meteredQuantity(param: String) -> JunctionError {
        JunctionError.invalid(
            "Quantity should not be specified where usage_type is `metered`: the meter's usage is billed instead.",
            param: param)
    }

    static func item(price: JSONValue, quantity: Int?, subscription: String, now: Int) -> JSONValue {
        [
            "id": .string(Identifiers.make(Resource.subscriptionItemPrefix)), "object": "subscription_item",
            "created": .int(now), "discounts": [], "metadata": [:], "price": price, "quantity": JSONValue(quantity),
            "subscription": .string(subscription), "tax_rates": [], "billing_thresholds": nil, "current_trial": nil,
            "plan": PriceType.plan(of: price),
        ]
    }

    static func document(
        _ id: String, _ creation: Creation, caller: Caller, currency: String?, method: String?, items: [JSONValue],
        periodEnd: Int, trialEnd: Int?
    ) -> JSONValue {
        var metadata = creation.metadata
        if case .object(let fields) = metadata { metadata = .object(fields.filter { $0.value != .null }) }
        return [
            "id": .string(id), "object": "subscription",
            "application": caller.application.map { .string($0.id) } ?? nil,
            "application_fee_percent": creation.applicationFeePercent.map(JSONValue.double) ?? nil,
            "transfer_data": creation.destination.map { destination in
                [
                    "amount_percent": creation.transferPercent.map(JSONValue.double) ?? nil,
                    "destination": .string(destination.account.id),
                ]
            } ?? nil,
            PrivateField.platformApplication: JSONValue(creation.destination?.application?.id),
            "automatic_tax": ["disabled_reason": nil, "enabled": false, "liability": nil],
            "billing_cycle_anchor": .int(periodEnd), "cancel_at": nil,
            "cancel_at_period_end": .bool(creation.cancelAtPeriodEnd), "canceled_at": nil,
            "cancellation_details": ["comment": nil, "feedback": nil, "reason": nil],
            "collection_method": "charge_automatically", "created": .int(caller.now), "currency": JSONValue(currency),
            "customer": .string(creation.customer), "days_until_due": nil, "default_payment_method": JSONValue(method),
            "description": JSONValue(creation.description), "discounts": [], "ended_at": nil,
            "items": [
                "object": "list", "data": .array(items), "has_more": false, "total_count": .int(items.count),
                "url": .string("/v1/subscription_items?subscription=\(id)"),
            ],
            "latest_invoice": nil, "livemode": false, "metadata": metadata, "pending_update": nil,
            "start_date": .int(caller.now), "status": JSONValue(SubscriptionStatus.incomplete),
            "trial_end": JSONValue(trialEnd), "trial_start": trialEnd == nil ? nil : .int(caller.now),
            // Fields Stripe always sends, at their defaults: Junction has nothing else to say.
            "billing_cycle_anchor_config": nil,
            "billing_mode": ["flexible": ["proration_discounts": "included"], "type": "flexible", "updated_at": nil],
            "billing_schedules": [], "billing_thresholds": nil, "customer_account": nil, "default_source": nil,
            "default_tax_rates": [], "invoice_settings": ["account_tax_ids": nil, "issuer": ["type": "self"]],
            "managed_payments": nil, "next_pending_invoice_item_invoice": nil, "on_behalf_of": nil,
            "pause_collection": nil,
            "payment_settings": [
                "payment_method_options": nil, "payment_method_types": nil, "save_default_payment_method": "off",
            ],
            "pending_invoice_item_interval": nil, "pending_setup_intent": nil, "presentment_details": nil,
            "schedule": nil, "status_details": nil, "test_clock": nil,
            "trial_settings": ["end_behavior": ["missing_payment_method": "create_invoice"]],
        ]
    }
}
