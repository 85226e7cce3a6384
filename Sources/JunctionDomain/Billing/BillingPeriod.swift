import ConnectModel
import Foundation

/// Billing periods of recurring prices.
enum BillingPeriod {
    /// The end of a period starting at `start` for a price's `recurring` (`interval`,
    /// `interval_count`), in UTC calendar arithmetic as Stripe bills.
    static func end(from start: Int, recurring: JSONValue?) -> Int {
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

    /// Whether two prices' `recurring` bill the same periods (usage type and meter aside).
    static func sameInterval(_ one: JSONValue?, _ other: JSONValue?) -> Bool {
        one?["interval"] == other?["interval"]
            && (one?["interval_count"]?.integerValue ?? 1) == (other?["interval_count"]?.integerValue ?? 1)
    }

    /// What the items of a subscription cost for one period.
    static func amount(of items: [JSONValue]) -> Int {
        Amounts.sum(items.map(amount(of:)))
    }

    /// What one item (or usage line) costs: its price's unit amount times its quantity, or what
    /// the price's tiers make of the quantity. A metered item bills nothing ahead.
    static func amount(of item: JSONValue) -> Int {
        if let prorated = item[Proration.amountField]?.integerValue { return prorated }
        let quantity = item["quantity"]?.integerValue ?? (isMetered(item) ? 0 : 1)
        guard let price = item["price"] else { return 0 }
        if let tiers = PriceTiers(price: price) { return tiers.amount(quantity: quantity) }
        return Amounts.product(price["unit_amount"]?.integerValue ?? 0, quantity)
    }

    /// Whether the item's price bills usage.
    static func isMetered(_ item: JSONValue) -> Bool { Prices.isMetered(item["price"]) }

    /// Where a usage line keeps the period it bills (the one just ended), for ``InvoiceDocument``.
    static let linePeriodField = "_line_period"

    /// A metered item as the invoice line of `quantity` units of usage over `[start, end)`.
    static func usage(_ item: JSONValue, _ quantity: Int, start: Int, end: Int) -> JSONValue {
        var line = item
        line["quantity"] = .int(quantity)
        line[linePeriodField] = ["end": .int(end), "start": .int(start)]
        return line
    }

    /// The items with their current period set.
    static func items(_ items: [JSONValue], start: Int, end: Int) -> [JSONValue] {
        items.map { item in
            var item = item
            item["current_period_start"] = .int(start)
            item["current_period_end"] = .int(end)
            item["billed_until"] = .int(end)
            return item
        }
    }
}
