extension Resource {
    /// Prices hang from their product; listed by `active` through `objects.status`.
    public static let price = Resource(
        kind: .price, idPrefix: "price", noun: "price", path: "/v1/prices",
        events: ResourceEvents(created: .priceCreated, updated: .priceUpdated), parentField: "product",
        statusField: .activeFlag, includable: ["currency_options": .currencyOptions, "tiers": .value(nil)])
}

/// A price's `type`.
public enum PriceType: String, Sendable, Codable {
    case oneTime = "one_time"
    case recurring
}

extension EventType {
    public static let priceCreated = EventType(rawValue: "price.created")
    public static let priceUpdated = EventType(rawValue: "price.updated")
}
