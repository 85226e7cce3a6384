/// The changes Stripe made to the objects Junction serves, newest first. `docs/versions.md`
/// lists them; each is undone for requests, events and webhooks at an older version.
public enum VersionChanges {
    public static let all: [VersionChange] = (basil + v2022_11_15).sorted { $0.version > $1.version }

    static let paymentIntent = ObjectKind.paymentIntent.rawValue
    static let charge = ObjectKind.charge.rawValue
    static let subscription = ObjectKind.subscription.rawValue
    static let invoice = ObjectKind.invoice.rawValue
    static let subscriptionItem = "subscription_item"
    static let lineItem = "line_item"

    /// 2022-11-15: a payment intent no longer lists its charges.
    static let v2022_11_15: [VersionChange] = [
        VersionChange(
            .v2022_11_15, paymentIntent,
            "`charges` (every charge of the payment intent, newest first) is removed; use `latest_charge`."
        ) { intent, lookup in
            guard let id = intent["id"]?.stringValue else { return }
            let charges = try await lookup.children(of: id, kind: .charge)
            intent["charges"] = [
                "object": "list", "data": .array(charges.reversed()), "has_more": false,
                "total_count": .int(charges.count), "url": .string("/v1/charges?payment_intent=\(id)"),
            ]
        },
        VersionChange(
            .v2022_11_15, charge, "`refunds` (the charge's refunds, newest first) is sent only when expanded."
        ) { charge, lookup in
            guard let id = charge["id"]?.stringValue, charge["refunds"] == nil else { return }
            let refunds = try await lookup.children(of: id, kind: .refund)
            charge["refunds"] = [
                "object": "list", "data": .array(refunds.reversed()), "has_more": false,
                "total_count": .int(refunds.count), "url": .string("/v1/charges/\(id)/refunds"),
            ]
        },
    ]

    /// 2025-03-31.basil: billing periods move to subscription items; an invoice names its
    /// subscription and payment through `parent` and `payments`; a line its price through `pricing`.
    static let basil: [VersionChange] = [
        VersionChange(
            .basil, subscription,
            "`current_period_start` and `current_period_end` move from the subscription to each of its items."
        ) { subscription, _ in
            let first = subscription["items"]?["data"]?.arrayItems?.first
            subscription["current_period_start"] = first?["current_period_start"] ?? .null
            subscription["current_period_end"] = first?["current_period_end"] ?? .null
        },
        VersionChange(
            .basil, subscriptionItem,
            "`current_period_start` and `current_period_end` are added (they were the subscription's)."
        ) { item, _ in
            item["current_period_start"] = nil
            item["current_period_end"] = nil
        },
        VersionChange(
            .basil, invoice,
            "`subscription`, `subscription_details`, `paid`, `charge`, `payment_intent` and `total_tax_amounts` are removed; `parent`, `payments` and `total_taxes` are added."
        ) { invoice, lookup in
            let subscription = invoice["parent"]?["subscription_details"]
            invoice["subscription"] = subscription?["subscription"] ?? .null
            invoice["subscription_details"] = ["metadata": subscription?["metadata"] ?? .null]
            let paid = invoice.status(InvoiceStatus.self) == .paid
            invoice["paid"] = .bool(paid)
            let intentID = invoice["payments"]?["data"]?.arrayItems?.first?["payment"]?["payment_intent"]?.stringValue
            invoice["payment_intent"] = JSONValue(intentID)
            var charge = JSONValue.null
            if paid, let intentID, let intent = try await lookup.object(intentID) {
                charge = intent["latest_charge"] ?? .null
            }
            invoice["charge"] = charge
            invoice["total_tax_amounts"] = invoice["total_taxes"] ?? []
            invoice["tax"] = .null
            invoice["parent"] = nil
            invoice["payments"] = nil
            invoice["total_taxes"] = nil
        },
        VersionChange(
            .basil, lineItem,
            "`price`, `subscription`, `subscription_item`, `type` and `proration` are removed; `pricing` and `parent` are added."
        ) { line, lookup in
            let price = line["pricing"]?["price_details"]?["price"]?.stringValue
            line["price"] = try await price.asyncMap { try await lookup.object($0) } ?? .null
            let details = line["parent"]?["subscription_item_details"]
            line["subscription"] = details?["subscription"] ?? .null
            line["subscription_item"] = details?["subscription_item"] ?? .null
            line["type"] = "subscription"
            line["proration"] = false
            line["unit_amount_excluding_tax"] = line["pricing"]?["unit_amount_decimal"] ?? .null
            line["pricing"] = nil
            line["parent"] = nil
        },
    ]
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
