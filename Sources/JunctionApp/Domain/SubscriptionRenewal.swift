import ConnectModel
import Foundation
import JunctionStorage
import Logging
import ServiceLifecycle

extension SubscriptionController {
    /// How long a subscription whose first invoice is unpaid stays `incomplete` (Stripe: 23 hours).
    static let incompleteExpiry = 23 * 3_600

    /// What the clock does to a subscription whose `dueAt` has come, in one transaction with the
    /// invoice, the payment and the events: an `incomplete` one expires; one set to cancel at the
    /// period's end is canceled; any other starts its next period with an invoice
    /// (`billing_reason=subscription_cycle`) charged to its default payment method — paid, it stays
    /// `active`; declined or without a payment method, it becomes `past_due`.
    func renew(_ id: String, account: String, now: Int) async throws {
        try await services.store.write { tx in
            var subscription = try await tx.require(id, type: "subscription", noun: "subscription", account: account)
            // Another instance may have renewed it since it was listed.
            guard let due = subscription.dueAt, due <= now else { return }
            let before = subscription.document
            // Changes the clock makes come from no API request.
            let request = RequestInfo(id: nil, idempotencyKey: nil)
            var invoiceEvents: [Event] = []
            if before["status"] == "incomplete" {
                subscription.document["status"] = "incomplete_expired"
                subscription.document["ended_at"] = .int(due)
                subscription.dueAt = nil
            } else if before["cancel_at_period_end"] == true
                || (before["cancel_at"]?.integerValue).map({ $0 <= due }) == true
            {
                subscription.document["status"] = "canceled"
                subscription.document["canceled_at"] =
                    before["canceled_at"]?.integerValue.map(JSONValue.int) ?? .int(due)
                subscription.document["ended_at"] = .int(due)
                subscription.document["cancellation_details"]?["reason"] = "cancellation_requested"
                subscription.dueAt = nil
            } else {
                var items = before["items"]?["data"]?.arrayItems ?? []
                let end = Self.advance(due, by: items.first?["price"]?["recurring"])
                items = items.map { item in
                    var item = item
                    item["current_period_start"] = .int(due)
                    item["current_period_end"] = .int(end)
                    return item
                }
                subscription.document["items"]?["data"] = .array(items)
                let currency = before["currency"]?.stringValue ?? "usd"
                let amount = items.reduce(0) { total, item in
                    total + (item["price"]?["unit_amount"]?.integerValue ?? 0) * (item["quantity"]?.integerValue ?? 1)
                }
                let customerID = before["customer"]?.stringValue ?? ""
                let customer =
                    try await tx.object(customerID, account: account)
                    ?? StoredObject(id: customerID, account: account, type: "customer", created: now, document: [:])
                let method =
                    before["default_payment_method"]?.stringValue
                    ?? customer.document["invoice_settings"]?["default_payment_method"]?.stringValue
                let application = try await before["application"]?.stringValue.asyncMap { try await tx.application($0) }
                let context = Payments.Context(account: account, application: application, request: request, now: now)
                var invoice = Self.invoiceDocument(
                    subscription: id, customer: customer, items: items, amount: amount, currency: currency,
                    periodStart: due, periodEnd: end, account: account, application: application?.id,
                    paymentMethod: method, now: now)
                invoice["billing_reason"] = "subscription_cycle"
                var paid = amount == 0
                if amount == 0 {
                    invoice["status"] = "paid"
                } else {
                    invoice["attempted"] = true
                    invoice["attempt_count"] = 1
                    if let method {
                        var intent = try await openIntent(
                            for: &invoice, amount: amount, currency: currency, customer: customerID, method: method,
                            feePercent: before["application_fee_percent"]?.doubleValue,
                            description: "Subscription update", in: tx, context: context)
                        try await tx.insert(intent)
                        if case .done(let charged) = try await payments.confirm(&intent, in: tx, context: context) {
                            Self.markPaid(&invoice, amount: amount, charge: charged.document["latest_charge"] ?? nil)
                            paid = true
                        }
                    }
                }
                subscription.document["status"] = paid ? "active" : "past_due"
                subscription.document["latest_invoice"] = invoice["id"] ?? nil
                subscription.dueAt = end
                let invoiceID = invoice["id"]?.stringValue ?? Identifiers.make("in")
                try await tx.insert(
                    StoredObject(
                        id: invoiceID, account: account, type: "invoice", customer: customerID, parent: id,
                        created: now, document: invoice))
                invoiceEvents = Self.invoiceEvents(invoice, paid: paid, account: account, now: now, request: request)
            }
            subscription.lookup = subscription.document["status"]?.stringValue
            for event in invoiceEvents { try await tx.emit(event) }
            if subscription.document["status"] == "canceled" {
                try await tx.update(subscription)
                try await tx.emit(
                    Event(
                        type: "customer.subscription.deleted", account: account, created: now,
                        object: subscription.publicDocument, request: request))
            } else {
                try await tx.update(
                    subscription, emitting: "customer.subscription.updated", since: before, now: now, request: request)
            }
        }
    }

    /// An invoice's payment succeeded.
    static func markPaid(_ invoice: inout JSONValue, amount: Int, charge: JSONValue) {
        invoice["status"] = "paid"
        invoice["amount_paid"] = .int(amount)
        invoice["amount_remaining"] = 0
        invoice["attempted"] = true
        invoice["attempt_count"] = 1
        invoice["charge"] = charge
    }

    /// `invoice.created`, `.finalized`, then `.paid` and `.payment_succeeded`, or `.payment_failed`
    /// when a payment was attempted and failed.
    static func invoiceEvents(_ invoice: JSONValue, paid: Bool, account: String, now: Int, request: RequestInfo)
        -> [Event]
    {
        var types = ["invoice.created", "invoice.finalized"]
        if paid {
            types += ["invoice.paid", "invoice.payment_succeeded"]
        } else if invoice["attempted"] == true {
            types.append("invoice.payment_failed")
        }
        return types.map { Event(type: $0, account: account, created: now, object: invoice, request: request) }
    }
}

/// Renews subscriptions as Junction's clock passes their period ends (moved by
/// `/_junction/clock/advance` or by time itself). Work is found in the database, so a restart or
/// a second instance changes nothing: each renewal happens once, in its own transaction.
struct RenewalWorker: Service {
    let services: JunctionServices
    let gate: StartGate

    func run() async throws {
        await gate.wait()
        let stopping = StopFlag()
        await withGracefulShutdownHandler {
            let controller = SubscriptionController(services: services)
            while !stopping.isStopped && !Task.isCancelled {
                do {
                    services.clock.observe(offset: try await services.store.clockOffset())
                    let now = services.clock.now()
                    for due in try await services.store.dueObjects(type: "subscription", now: now, limit: 50) {
                        try await controller.renew(due.id, account: due.account, now: now)
                    }
                } catch {
                    services.logger.error("subscription renewal: \(String(reflecting: error))")
                }
                try? await Task.sleep(for: .milliseconds(200))
            }
        } onGracefulShutdown: {
            stopping.stop()
        }
    }
}
