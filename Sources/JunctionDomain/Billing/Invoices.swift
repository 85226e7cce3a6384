import ConnectModel
import JunctionStorage

/// Paying open invoices: by confirming the invoice's payment intent (what Stripe.js does after
/// `payment_behavior=default_incomplete`), by `POST /v1/invoices/{id}/pay`, or out of band. A paid
/// invoice that is its subscription's latest makes an `incomplete` or `past_due` subscription
/// `active` again, as on Stripe.
public struct Invoices: Sendable {
    let store: any ObjectStore

    public init(store: any ObjectStore) {
        self.store = store
    }

    /// `POST /v1/invoices/{id}/pay`: with `paymentMethod`, else the one the invoice's payment
    /// intent, the subscription or the customer names; or marked paid outside Stripe. A decline
    /// is the 402 card error, and the invoice stays `open` with the attempt counted.
    public func pay(_ id: String, paymentMethod: String?, paidOutOfBand: Bool, caller: Caller) async throws
        -> StoredObject
    {
        let (invoice, outcome): (StoredObject, PaymentEngine.Outcome?) = try await store.write { tx in
            var invoice = try await tx.require(.invoice, id, account: caller.account)
            try Self.checkOpen(invoice)
            let amount = invoice.document["amount_remaining"]?.integerValue ?? 0
            if paidOutOfBand || amount == 0 {
                InvoiceDocument.markPaid(&invoice.document, amount: amount, now: caller.now)
                if paidOutOfBand { invoice.document["amount_paid_off_stripe"] = .int(amount) }
                try await Self.paid(&invoice, in: tx, caller: caller)
                return (invoice, nil)
            }
            var intent = try await Self.intent(for: &invoice, in: tx, caller: caller)
            var method = paymentMethod ?? intent.document["payment_method"]?.stringValue
            if method == nil { method = try await Self.defaultMethod(of: invoice, in: tx, caller: caller) }
            guard let method else {
                throw JunctionError.invalid(
                    "This invoice has no payment method to be paid with: pass `payment_method`, or set the subscription's `default_payment_method` or the customer's `invoice_settings.default_payment_method`.",
                    param: "payment_method")
            }
            intent.document["payment_method"] = .string(method)
            if intent.status(PaymentIntentStatus.self) == .requiresPaymentMethod {
                intent.setStatus(PaymentIntentStatus.requiresConfirmation)
            }
            let outcome = try await PaymentEngine.confirm(&intent, in: tx, caller: caller)
            try await Self.record(outcome, of: &invoice, in: tx, caller: caller)
            return (invoice, outcome)
        }
        if let outcome { _ = try PaymentIntents.result(outcome) }
        return invoice
    }

    /// What confirming `intent` did to the invoice it pays (``PaymentIntentDocument/invoiceField``),
    /// if it pays one: paid when it succeeded, one more failed attempt when it was declined.
    static func confirmed(_ outcome: PaymentEngine.Outcome, in tx: any ObjectTransaction, caller: Caller)
        async throws
    {
        let intent: StoredObject
        switch outcome {
        case .done(let done): intent = done
        case .declined(let declined, _, _): intent = declined
        }
        guard let id = intent.document[PaymentIntentDocument.invoiceField]?.stringValue,
            var invoice = try await tx.object(id, account: caller.account),
            invoice.status(InvoiceStatus.self) == .open
        else { return }
        try await record(outcome, of: &invoice, in: tx, caller: caller)
    }

    private static func record(
        _ outcome: PaymentEngine.Outcome, of invoice: inout StoredObject, in tx: any ObjectTransaction, caller: Caller
    ) async throws {
        switch outcome {
        case .done(let intent) where intent.status(PaymentIntentStatus.self) == .succeeded:
            let amount = intent.document["amount_received"]?.integerValue ?? 0
            let attempts = invoice.document["attempt_count"]?.integerValue ?? 0
            InvoiceDocument.markPaid(&invoice.document, amount: amount, now: caller.now)
            invoice.document["attempt_count"] = .int(attempts + 1)
            try await paid(&invoice, by: intent.document["payment_method"]?.stringValue, in: tx, caller: caller)
        case .done:
            return  // authorized only (manual capture): the invoice is paid when captured
        case .declined:
            let attempts = invoice.document["attempt_count"]?.integerValue ?? 0
            InvoiceDocument.markAttempted(&invoice.document)
            invoice.document["attempt_count"] = .int(attempts + 1)
            try await tx.update(invoice)
            try await tx.emit(.invoicePaymentFailed, invoice.document, caller: caller)
        }
    }

    /// The invoice is paid (by `method`, unless out of band): its events; its subscription
    /// `active` if this was its latest, and the method its default if its
    /// `payment_settings.save_default_payment_method` is `on_subscription`.
    private static func paid(
        _ invoice: inout StoredObject, by method: String? = nil, in tx: any ObjectTransaction, caller: Caller
    ) async throws {
        try await tx.update(invoice)
        try await tx.emit(.invoicePaid, invoice.document, caller: caller)
        try await tx.emit(.invoicePaymentSucceeded, invoice.document, caller: caller)
        guard let subscriptionID = invoice.parent,
            var subscription = try await tx.object(subscriptionID, account: caller.account)
        else { return }
        let before = subscription.document
        if let method, before["payment_settings"]?["save_default_payment_method"] == "on_subscription" {
            subscription.document["default_payment_method"] = .string(method)
        }
        if before["latest_invoice"]?.stringValue == invoice.id,
            let items = before[Subscriptions.pendingItemsField]?.arrayItems
        {
            // The pending update this invoice was for takes effect.
            subscription.document["items"]?["data"] = .array(items)
            subscription.document["items"]?["total_count"] = .int(items.count)
            subscription.document["pending_update"] = .null
            subscription.document[Subscriptions.pendingItemsField] = nil
            subscription.dueAt = items.first?["current_period_end"]?.integerValue
        }
        let status = subscription.status(SubscriptionStatus.self)
        let reopens = status == .incomplete || status == .pastDue || status == .unpaid
        if before["latest_invoice"]?.stringValue == invoice.id, reopens {
            subscription.setStatus(SubscriptionStatus.active)
            // No longer on its way to `incomplete_expired`: the clock renews it at the period's end.
            subscription.dueAt =
                subscription.document["items"]?["data"]?.arrayItems?.first?["current_period_end"]?.integerValue
        }
        guard subscription.document != before else { return }
        try await tx.update(subscription, emitting: .subscriptionUpdated, since: before, caller: caller)
    }

    private static func checkOpen(_ invoice: StoredObject) throws {
        switch invoice.status(InvoiceStatus.self) {
        case .open?: return
        case .paid?: throw JunctionError.invalid("Invoice is already paid", code: "invoice_not_editable")
        default:
            throw JunctionError.invalid(
                "This invoice has a status of \(invoice.statusValue ?? "unknown"); only an open invoice can be paid.",
                code: "invoice_not_editable")
        }
    }

    /// The invoice's payment intent, made now if the invoice has none yet (a renewal that found
    /// no payment method), with its subscription's application fee percent.
    private static func intent(for invoice: inout StoredObject, in tx: any ObjectTransaction, caller: Caller)
        async throws -> StoredObject
    {
        let payment = invoice.document["payments"]?["data"]?.arrayItems?.first
        if let id = payment?["payment"]?["payment_intent"]?.stringValue,
            let intent = try await tx.object(id, account: caller.account)
        {
            return intent
        }
        let subscription = try await invoice.parent.asyncMap { try await tx.object($0, account: caller.account) }
        let intent = Subscriptions.openIntent(
            for: &invoice.document, amount: invoice.document["amount_remaining"]?.integerValue ?? 0,
            currency: invoice.document["currency"]?.stringValue ?? "usd",
            customer: invoice.document["customer"]?.stringValue ?? "", method: nil,
            subscription: subscription??.document,
            description: "Payment for Invoice", caller: caller)
        try await tx.insert(intent)
        return intent
    }

    private static func defaultMethod(of invoice: StoredObject, in tx: any ObjectTransaction, caller: Caller)
        async throws -> String?
    {
        if let method = invoice.document["default_payment_method"]?.stringValue { return method }
        if let id = invoice.parent, let subscription = try await tx.object(id, account: caller.account),
            let method = subscription.document["default_payment_method"]?.stringValue
        {
            return method
        }
        guard let customerID = invoice.document["customer"]?.stringValue,
            let customer = try await tx.object(customerID, account: caller.account)
        else { return nil }
        return customer.document["invoice_settings"]?["default_payment_method"]?.stringValue
    }
}
