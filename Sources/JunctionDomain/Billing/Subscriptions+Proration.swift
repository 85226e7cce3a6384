import ConnectModel
import Foundation
import JunctionStorage

/// The private fields of a proration: an item, as it was or is, with what it is billed for the
/// rest of the period. Kept on the subscription until an invoice takes them.
enum Proration {
    static let amountField = "_proration_amount"
    static let descriptionField = "_proration_description"
    /// A subscription's prorations not invoiced yet (`create_prorations`).
    static let pendingField = "_pending_prorations"
}

extension Subscriptions {
    /// Bills a mid-period change of items as Stripe prorates: a credit for the unused time of each
    /// item as it was, a charge for the rest of the period of each item as it is now, both to the
    /// second. `create_prorations` keeps them for the next invoice; `always_invoice` invoices
    /// them (with any kept before) and charges the invoice now.
    static func prorate(
        _ subscription: inout StoredObject, from old: [JSONValue], to new: [JSONValue], behavior: ProrationBehavior,
        paymentBehavior: PaymentBehavior, in tx: any ObjectTransaction, caller: Caller
    ) async throws {
        let now = caller.now
        let status = subscription.status(SubscriptionStatus.self)
        guard behavior != .none, status == .active || status == .pastDue,
            let start = old.first?["current_period_start"]?.integerValue,
            let end = old.first?["current_period_end"]?.integerValue, start < now, now < end
        else { return }
        var prorations: [JSONValue] = []
        func share(_ item: JSONValue) -> Int {
            Amounts.rounded(Decimal(BillingPeriod.amount(of: item)) * Decimal(end - now) / Decimal(end - start))
        }
        func line(_ item: JSONValue, credit: Bool) -> JSONValue {
            var line = item
            let quantity = item["quantity"]?.integerValue ?? 1
            let name = item["price"]?["nickname"]?.stringValue ?? item["price"]?["id"]?.stringValue ?? "subscription"
            let format = DateFormatter()
            format.locale = Locale(identifier: "en_US_POSIX")
            format.timeZone = TimeZone(identifier: "UTC")
            format.dateFormat = "d MMM yyyy"
            let date = format.string(from: Date(timeIntervalSince1970: TimeInterval(now)))
            line[Proration.amountField] = .int(credit ? -share(item) : share(item))
            line[Proration.descriptionField] = .string(
                "\(credit ? "Unused" : "Remaining") time on \(quantity) × \(name) after \(date)")
            line[BillingPeriod.linePeriodField] = ["end": .int(end), "start": .int(now)]
            return line
        }
        let before = Dictionary(old.compactMap { item in item["id"]?.stringValue.map { ($0, item) } }) { a, _ in a }
        let after = Set(new.compactMap { $0["id"]?.stringValue })
        for item in new where !BillingPeriod.isMetered(item) {
            let id = item["id"]?.stringValue ?? ""
            if let was = before[id] {
                guard was["price"]?["id"] != item["price"]?["id"] || was["quantity"] != item["quantity"] else {
                    continue
                }
                if !BillingPeriod.isMetered(was) { prorations.append(line(was, credit: true)) }
            }
            prorations.append(line(item, credit: false))
        }
        for was in old where !after.contains(was["id"]?.stringValue ?? "") && !BillingPeriod.isMetered(was) {
            prorations.append(line(was, credit: true))
        }
        guard !prorations.isEmpty else { return }
        let pending = (subscription.document[Proration.pendingField]?.arrayItems ?? []) + prorations
        guard behavior == .alwaysInvoice else {
            subscription.document[Proration.pendingField] = .array(pending)
            return
        }
        subscription.document[Proration.pendingField] = nil
        let paid = try await invoiceNow(
            &subscription, lines: pending, paymentBehavior: paymentBehavior, in: tx, caller: caller)
        if !paid, paymentBehavior == .pendingIfIncomplete {
            // Stripe's pending update: the items stay as they were until the invoice is paid
            // (``Invoices``), or for 23 hours, when the update and its invoice are dropped.
            subscription.document["pending_update"] = [
                "billing_cycle_anchor": nil, "expires_at": .int(now + Self.incompleteExpiry),
                "subscription_items": .array(new.map(\.withoutPrivateFields)), "trial_end": nil,
                "trial_from_plan": nil,
            ]
            subscription.document[Self.pendingItemsField] = .array(new)
            subscription.document["items"]?["data"] = .array(old)
            subscription.dueAt = min(subscription.dueAt ?? end, now + Self.incompleteExpiry)
        }
    }

    /// The items of a pending update as they will be kept (prices with their private tiers).
    static let pendingItemsField = "_pending_items"

    /// An invoice of `lines` (`billing_reason=subscription_update`), charged at once to the
    /// subscription's default payment method. Declined, it stays open and the subscription is
    /// `past_due`, unless `error_if_incomplete` refuses the whole update.
    @discardableResult
    private static func invoiceNow(
        _ subscription: inout StoredObject, lines: [JSONValue], paymentBehavior: PaymentBehavior,
        in tx: any ObjectTransaction, caller: Caller
    ) async throws -> Bool {
        let document = subscription.document
        let customerID = document["customer"]?.stringValue ?? ""
        var customer = try await tx.require(.customer, customerID, account: caller.account)
        let method =
            document["default_payment_method"]?.stringValue
            ?? customer.document["invoice_settings"]?["default_payment_method"]?.stringValue
        let total = Amounts.sum(lines.map { $0[Proration.amountField]?.integerValue ?? 0 })
        guard total <= Amounts.maximumCharge else { throw Amounts.tooLarge(param: "items") }
        let currency = document["currency"]?.stringValue ?? "usd"
        let period = lines.first?[BillingPeriod.linePeriodField]
        var invoice = InvoiceDocument.new(
            subscription: subscription.id, customer: customer, items: lines, amount: total, currency: currency,
            periodStart: period?["start"]?.integerValue ?? caller.now,
            periodEnd: period?["end"]?.integerValue ?? caller.now, application: caller.application?.id,
            paymentMethod: method, reason: .subscriptionUpdate, now: caller.now)
        let due = try await InvoiceDocument.applyBalance(&invoice, of: &customer, in: tx, caller: caller)
        var paid = due == 0
        if paid {
            InvoiceDocument.markPaid(&invoice, amount: 0, now: caller.now)
        } else if paymentBehavior == .defaultIncomplete || method == nil {
            if method == nil, paymentBehavior == .errorIfIncomplete {
                throw JunctionError.invalid(
                    "This customer has no attached payment source or default payment method.",
                    param: "default_payment_method", code: "resource_missing")
            }
            try await tx.insert(
                openIntent(
                    for: &invoice, amount: due, currency: currency, customer: customerID, method: method,
                    subscription: document, description: "Subscription update",
                    caller: caller))
            if paymentBehavior == .allowIncomplete || paymentBehavior == .errorIfIncomplete {
                subscription.setStatus(SubscriptionStatus.pastDue)
            }
        } else {
            var intent = openIntent(
                for: &invoice, amount: due, currency: currency, customer: customerID, method: method,
                subscription: document, description: "Subscription update",
                caller: caller)
            try await tx.insert(intent)
            switch try await PaymentEngine.confirm(&intent, in: tx, caller: caller) {
            case .done:
                InvoiceDocument.markPaid(&invoice, amount: due, now: caller.now)
                paid = true
            case .declined(_, let error, _):
                if paymentBehavior == .errorIfIncomplete { throw error }  // nothing of the update is kept
                InvoiceDocument.markAttempted(&invoice)
                if paymentBehavior != .pendingIfIncomplete { subscription.setStatus(SubscriptionStatus.pastDue) }
            }
        }
        subscription.document["latest_invoice"] = invoice["id"] ?? nil
        try await tx.insert(
            StoredObject(
                id: invoice["id"]?.stringValue ?? "", account: caller.account, kind: .invoice, created: caller.now,
                document: invoice))
        for type in InvoiceDocument.events(paid: paid, attempted: invoice["attempted"] == true) {
            try await tx.emit(type, invoice, caller: caller)
        }
        return paid
    }
}
