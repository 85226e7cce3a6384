/// The changes Stripe made to the objects Junction serves, newest first. `docs/versions.md`
/// lists them; each is undone for requests, events and webhooks at an older version.
public enum VersionChanges {
    public static let all: [VersionChange] = (basil + v2024_04_10 + v2022_11_15 + v2022_08_01 + v2020_08_27).sorted {
        $0.version > $1.version
    }

    static let paymentIntent = ObjectKind.paymentIntent.rawValue
    static let charge = ObjectKind.charge.rawValue
    static let subscription = ObjectKind.subscription.rawValue
    static let customer = ObjectKind.customer.rawValue
    static let invoice = ObjectKind.invoice.rawValue
    static let subscriptionItem = "subscription_item"
    static let lineItem = "line_item"
    static let plan = "plan"

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

    /// 2020-08-27: a customer no longer includes its subscriptions, sources and tax ids.
    static let v2020_08_27: [VersionChange] = [
        VersionChange(
            .v2020_08_27, customer,
            "`subscriptions`, `sources` and `tax_ids` (first pages of lists) are sent only when expanded."
        ) { customer, lookup in
            guard let id = customer["id"]?.stringValue, customer["deleted"] != true else { return }
            func list(_ property: String, _ items: [JSONValue] = [], hasMore: Bool = false) -> JSONValue {
                [
                    "object": "list", "data": .array(items), "has_more": .bool(hasMore),
                    "total_count": .int(items.count), "url": .string("/v1/customers/\(id)/\(property)"),
                ]
            }
            if customer["subscriptions"] == nil {
                let page = try await lookup.firstPage(of: .subscription, ownedBy: id)
                customer["subscriptions"] = list("subscriptions", page.items, hasMore: page.hasMore)
            }
            // Junction keeps cards as payment methods and no tax ids: both lists are empty.
            if customer["sources"] == nil { customer["sources"] = list("sources") }
            if customer["tax_ids"] == nil { customer["tax_ids"] = list("tax_ids") }
        }
    ]

    /// 2022-08-01: a customer's `default_currency` is removed (`currency` says it).
    static let v2022_08_01: [VersionChange] = [
        VersionChange(.v2022_08_01, customer, "`default_currency` is removed; `currency` says the same.") {
            customer, _ in
            guard customer["deleted"] != true else { return }
            customer["default_currency"] = customer["currency"] ?? .null
        }
    ]

    /// 2024-04-10: an invoice's `rendering_options` is renamed `rendering`.
    static let v2024_04_10: [VersionChange] = [
        VersionChange(
            .v2024_04_10, invoice,
            "`rendering_options` (`amount_tax_display`) is renamed `rendering`, which older versions also show."
        ) { invoice, _ in
            let display = invoice["rendering"]?["amount_tax_display"] ?? .null
            invoice["rendering_options"] = display == .null ? .null : ["amount_tax_display": display]
        }
    ]

    /// 2025-03-31.basil: billing periods move to subscription items; an invoice names its
    /// subscription and payment through `parent` and `payments`; a line its price through `pricing`.
    static let basil: [VersionChange] = [
        VersionChange(.basil, paymentIntent, "`invoice` (the invoice it pays) is removed.") { intent, lookup in
            let id = intent["id"]?.stringValue
            intent["invoice"] = JSONValue(try await id.asyncMap { try await lookup.invoice(paidBy: $0) })
        },
        VersionChange(.basil, charge, "`invoice` (the invoice its payment intent pays) is removed.") { charge, lookup in
            let intent = charge["payment_intent"]?.stringValue ?? charge["payment_intent"]?["id"]?.stringValue
            charge["invoice"] = JSONValue(try await intent.asyncMap { try await lookup.invoice(paidBy: $0) })
        },
        VersionChange(
            .basil, subscription,
            "`current_period_start` and `current_period_end` move from the subscription to each of its items; `discount` is removed (use `discounts`)."
        ) { subscription, _ in
            // `discount` (one) gave way to `discounts` (several); Junction's are never set.
            subscription["discount"] = subscription["discounts"]?.arrayItems?.first ?? .null
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
            "`subscription`, `subscription_details`, `paid`, `paid_out_of_band`, `charge`, `payment_intent`, `application_fee_amount`, `discount`, `quote`, `transfer_data`, `total_tax_amounts` and `tax` are removed; `parent`, `payments` and `total_taxes` are added."
        ) { invoice, lookup in
            let subscription = invoice["parent"]?["subscription_details"]
            invoice["subscription"] = subscription?["subscription"] ?? .null
            invoice["subscription_details"] = ["metadata": subscription?["metadata"] ?? .null]
            let paid = invoice.status(InvoiceStatus.self) == .paid
            invoice["paid"] = .bool(paid)
            // What was paid outside Stripe is counted since dahlia; before basil it was a flag.
            invoice["paid_out_of_band"] = .bool(paid && (invoice["amount_paid_off_stripe"]?.integerValue ?? 0) > 0)
            let intentID = invoice["payments"]?["data"]?.arrayItems?.first?["payment"]?["payment_intent"]?.stringValue
            invoice["payment_intent"] = JSONValue(intentID)
            let intent = try await intentID.asyncMap { try await lookup.object($0) }
            invoice["charge"] = paid ? intent?["latest_charge"] ?? .null : .null
            invoice["application_fee_amount"] = intent?["application_fee_amount"] ?? .null
            invoice["discount"] = invoice["discounts"]?.arrayItems?.first ?? .null
            invoice["quote"] = .null
            invoice["transfer_data"] = .null
            invoice["total_tax_amounts"] = invoice["total_taxes"] ?? []
            invoice["tax"] = .null
            invoice["parent"] = nil
            invoice["payments"] = nil
            invoice["total_taxes"] = nil
        },
        VersionChange(
            .basil, lineItem,
            "`price`, `plan`, `subscription_item`, `invoice_item`, `type`, `proration`, `proration_details`, `tax_amounts`, `tax_rates`, `amount_excluding_tax` and `unit_amount_excluding_tax` are removed; `pricing`, `parent` and `taxes` are added."
        ) { line, lookup in
            let priceID = line["pricing"]?["price_details"]?["price"]?.stringValue
            let price = try await priceID.asyncMap { try await lookup.object($0) } ?? .null
            line["price"] = price
            line["plan"] = price == .null ? .null : PriceType.plan(of: price)
            let parent = line["parent"]
            let details = parent?["subscription_item_details"]
            let invoiceItem = parent?["invoice_item_details"]
            line["subscription"] = details?["subscription"] ?? line["subscription"] ?? .null
            line["subscription_item"] = details?["subscription_item"] ?? .null
            line["invoice_item"] = invoiceItem?["invoice_item"] ?? .null
            line["type"] = invoiceItem == nil ? "subscription" : "invoiceitem"
            line["proration"] = details?["proration"] ?? invoiceItem?["proration"] ?? false
            line["proration_details"] = ["credited_items": details?["proration_details"]?["credited_items"] ?? .null]
            // Junction computes no tax: the amount before tax is the amount.
            line["amount_excluding_tax"] = line["amount"] ?? .null
            line["unit_amount_excluding_tax"] = line["pricing"]?["unit_amount_decimal"] ?? .null
            line["tax_amounts"] = []
            line["tax_rates"] = []
            line["pricing"] = nil
            line["parent"] = nil
            line["taxes"] = nil
        },
        VersionChange(.basil, plan, "`aggregate_usage` is removed (with usage records).") { plan, _ in
            plan["aggregate_usage"] = .null
        },
    ]
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
