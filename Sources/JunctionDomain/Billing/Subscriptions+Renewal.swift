import ConnectModel
import Foundation
import JunctionStorage

extension Subscriptions {
    /// Puts off the clock's next look at a subscription whose renewal failed, so that one broken
    /// row never holds up the others (it is retried an hour later, and logged by the caller).
    public func postpone(_ id: String, account: String, now: Int) async throws {
        try await store.write { tx in
            guard var subscription = try await tx.object(id, account: account), let due = subscription.dueAt,
                due <= now
            else { return }
            subscription.dueAt = now + Self.retryDelay
            try await tx.update(subscription)
        }
    }

    /// How long a subscription whose renewal failed waits before the clock tries it again.
    public static let retryDelay = 3_600

    /// The subscriptions whose `dueAt` has come at `now`.
    public func due(now: Int, limit: Int) async throws -> [StoredObject] {
        try await store.dueObjects(kind: .subscription, now: now, limit: limit)
    }

    /// What the clock does to a subscription whose `dueAt` has come, in one transaction with the
    /// invoice, the payment and the events: an `incomplete` one expires; one set to cancel at the
    /// period's end is canceled; any other starts its next period with an invoice
    /// (`billing_reason=subscription_cycle`) charged to its default payment method — paid, it stays
    /// `active`; declined or without a payment method, it becomes `past_due`. With
    /// `collection_method=send_invoice` the invoice is left open until its due date, when the
    /// subscription becomes `past_due` if it is still unpaid.
    public func renew(_ id: String, account: String, now: Int) async throws {
        try await store.write { tx in
            var subscription = try await tx.require(.subscription, id, account: account)
            // Another instance may have renewed it since it was listed.
            guard let due = subscription.dueAt, due <= now else { return }
            let before = subscription.document
            // Changes the clock makes come from no API request, and no connection.
            var caller = Caller(account: account, request: .none, now: now)
            let periodEnd = before["items"]?["data"]?.arrayItems?.first?["current_period_end"]?.integerValue ?? due
            if subscription.status(SubscriptionStatus.self) == .incomplete {
                subscription.setStatus(SubscriptionStatus.incompleteExpired)
                subscription.document["ended_at"] = .int(due)
                subscription.dueAt = nil
            } else if let expires = before["pending_update"]?["expires_at"]?.integerValue, expires <= due,
                due < periodEnd
            {
                // A pending update unpaid for 23 hours is dropped, and its invoice voided.
                subscription.document["pending_update"] = .null
                subscription.document[Self.pendingItemsField] = nil
                subscription.dueAt = periodEnd
                if let latest = before["latest_invoice"]?.stringValue,
                    var invoice = try await tx.object(latest, account: account),
                    invoice.status(InvoiceStatus.self) == .open
                {
                    invoice.setStatus(InvoiceStatus.void)
                    invoice.document["amount_remaining"] = 0
                    invoice.document["status_transitions"]?["voided_at"] = .int(due)
                    try await tx.update(invoice)
                    try await tx.emit(.invoiceVoided, invoice.document, caller: caller)
                }
            } else if due < periodEnd {
                // A sent invoice's due date, within the period: unpaid, the subscription is past due.
                subscription.dueAt = periodEnd
                if let latest = before["latest_invoice"]?.stringValue,
                    try await tx.object(latest, account: account)?.status(InvoiceStatus.self) == .open
                {
                    subscription.setStatus(SubscriptionStatus.pastDue)
                }
            } else if before["cancel_at_period_end"] == true
                || (before["cancel_at"]?.integerValue).map({ $0 <= due }) == true
            {
                subscription.setStatus(SubscriptionStatus.canceled)
                subscription.document["canceled_at"] =
                    before["canceled_at"]?.integerValue.map(JSONValue.int) ?? .int(due)
                subscription.document["ended_at"] = .int(due)
                subscription.document["cancellation_details"]?["reason"] = "cancellation_requested"
                subscription.dueAt = nil
                try await tx.update(subscription)
                try await tx.emit(.subscriptionDeleted, subscription.document, caller: caller)
                return
            } else {
                // The application that created it collects its application fee on every renewal.
                if let application = before["application"]?.stringValue {
                    caller.application = try await tx.application(application)
                }
                try await bill(&subscription, from: due, in: tx, caller: caller)
            }
            try await tx.update(subscription, emitting: .subscriptionUpdated, since: before, caller: caller)
        }
    }

    /// Starts the next period: an invoice for it, paid at once when a payment method succeeds.
    private func bill(_ subscription: inout StoredObject, from start: Int, in tx: any ObjectTransaction, caller: Caller)
        async throws
    {
        let document = subscription.document
        let items = document["items"]?["data"]?.arrayItems ?? []
        let end = BillingPeriod.end(from: start, recurring: items.first?["price"]?["recurring"])
        let periodItems = BillingPeriod.items(items, start: start, end: end)
        subscription.document["items"]?["data"] = .array(periodItems)
        let currency = document["currency"]?.stringValue ?? "usd"
        let customerID = document["customer"]?.stringValue ?? ""
        // Licensed items bill the period ahead; metered ones the usage of the period just ended.
        var lines: [JSONValue] = []
        for (item, next) in zip(items, periodItems) {
            guard BillingPeriod.isMetered(item), let meter = item["price"]?["recurring"]?["meter"]?.stringValue else {
                lines.append(next)
                continue
            }
            let ended = item["current_period_start"]?.integerValue ?? start
            let usage = try await Meters.usage(
                meter: meter, account: caller.account, customer: customerID, from: ended, to: start, in: tx)
            lines.append(BillingPeriod.usage(item, Amounts.rounded(usage), start: ended, end: start))
        }
        // Prorations kept from changes during the period just ended come with it.
        lines += document[Proration.pendingField]?.arrayItems ?? []
        subscription.document[Proration.pendingField] = nil
        let amount = BillingPeriod.amount(of: lines)
        var customer =
            try await tx.object(customerID, account: caller.account)
            ?? StoredObject(
                id: customerID, account: caller.account, kind: .customer, created: caller.now, document: [:])
        let method =
            document["default_payment_method"]?.stringValue
            ?? customer.document["invoice_settings"]?["default_payment_method"]?.stringValue
        var invoice = InvoiceDocument.new(
            subscription: subscription.id, customer: customer, items: lines, amount: amount, currency: currency,
            periodStart: start, periodEnd: end, application: caller.application?.id, paymentMethod: method,
            reason: .subscriptionCycle, now: caller.now)
        let due = try await InvoiceDocument.applyBalance(&invoice, of: &customer, in: tx, caller: caller)
        var paid = due == 0
        let sent = document["collection_method"]?.stringValue == CollectionMethod.sendInvoice.rawValue
        if paid {
            invoice["status"] = JSONValue(InvoiceStatus.paid)
        } else if sent {
            // Sent to be paid by its due date: nothing is charged, the status stays as it was.
            InvoiceDocument.send(&invoice, daysUntilDue: document["days_until_due"]?.integerValue ?? 0, now: caller.now)
            try await tx.insert(
                Self.openIntent(
                    for: &invoice, amount: due, currency: currency, customer: customerID, method: nil,
                    subscription: document, description: "Subscription update",
                    caller: caller))
        } else {
            InvoiceDocument.markAttempted(&invoice)
            // Usage can bill more than one payment may take, and a payment method can be gone
            // since: both are a failed attempt (`past_due`), never an error that would stop renewals.
            let usable = try await method.asyncFlatMap { id in
                try await tx.object(id, account: caller.account).flatMap { found in
                    found.kind == .paymentMethod && (found.customer == nil || found.customer == customerID) ? id : nil
                }
            }
            if let method = usable, due <= Amounts.maximumCharge {
                var intent = Self.openIntent(
                    for: &invoice, amount: due, currency: currency, customer: customerID, method: method,
                    subscription: document, description: "Subscription update",
                    caller: caller)
                try await tx.insert(intent)
                do {
                    if case .done = try await PaymentEngine.confirm(&intent, in: tx, caller: caller) {
                        InvoiceDocument.markPaid(&invoice, amount: due, now: caller.now)
                        paid = true
                    }
                } catch let refusal as JunctionError where refusal.kind == .invalidRequest {
                    // The account can no longer be charged (its card_payments is not active, or
                    // a destination's transfers): a failed attempt, as a decline is; the
                    // refusal is checked before anything is written.
                }
            }
        }
        if !sent || paid { subscription.setStatus(paid ? SubscriptionStatus.active : .pastDue) }
        subscription.document["latest_invoice"] = invoice["id"] ?? nil
        subscription.dueAt = Self.nextDue(periodEnd: end, invoice: invoice)
        try await tx.insert(
            StoredObject(
                id: invoice["id"]?.stringValue ?? Resource.invoice.newID(), account: caller.account, kind: .invoice,
                created: caller.now, document: invoice))
        for type in InvoiceDocument.events(paid: paid, attempted: invoice["attempted"] == true) {
            try await tx.emit(type, invoice, caller: caller)
        }
    }
}

extension Optional {
    fileprivate func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
