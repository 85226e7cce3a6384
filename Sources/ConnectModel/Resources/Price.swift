extension Resource {
    /// Prices hang from their product; listed by `active` through `objects.status`.
    public static let price = Resource(
        kind: .price, idPrefix: "price", noun: "price", path: "/v1/prices",
        events: ResourceEvents(created: .priceCreated, updated: .priceUpdated), parentField: "product",
        statusField: .activeFlag,
        includable: ["currency_options": .currencyOptions, "tiers": .privateField(PriceTiers.field)])
}

/// A price's `type`.
public enum PriceType: String, Sendable, Codable {
    case oneTime = "one_time"
    case recurring
}

extension PriceType {
    /// A price in the older Plans API's words: the `plan` a subscription item still carries, and
    /// an invoice line before 2025-03-31.basil. `nil` for a one-time price, which no plan
    /// describes.
    public static func plan(of price: JSONValue) -> JSONValue {
        guard let recurring = price["recurring"], recurring != .null else { return .null }
        return [
            "id": price["id"] ?? nil, "object": "plan", "active": price["active"] ?? true,
            "amount": price["unit_amount"] ?? nil, "amount_decimal": price["unit_amount_decimal"] ?? nil,
            "billing_scheme": price["billing_scheme"] ?? "per_unit", "created": price["created"] ?? nil,
            "currency": price["currency"] ?? nil, "interval": recurring["interval"] ?? nil,
            "interval_count": recurring["interval_count"] ?? 1, "livemode": false,
            "metadata": price["metadata"] ?? [:],
            "meter": nil, "nickname": price["nickname"] ?? nil, "product": price["product"] ?? nil,
            "tiers_mode": price["tiers_mode"] ?? nil,
            "transform_usage": nil, "trial_period_days": recurring["trial_period_days"] ?? nil,
            "usage_type": recurring["usage_type"] ?? "licensed",
        ]
    }
}

extension EventType {
    public static let priceCreated = EventType(rawValue: "price.created")
    public static let priceUpdated = EventType(rawValue: "price.updated")
}
