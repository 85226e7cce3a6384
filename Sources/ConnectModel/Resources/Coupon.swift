extension Resource {
    /// Coupons: discounts a platform defines on an account. Their ids carry no prefix: the code
    /// the caller chose, or 8 random characters as Stripe makes them. A deleted coupon is gone
    /// (404), as on Stripe.
    public static let coupon = Resource(
        kind: .coupon, idPrefix: "", noun: "coupon", path: "/v1/coupons",
        events: ResourceEvents(created: .couponCreated, updated: .couponUpdated, deleted: .couponDeleted),
        includable: ["currency_options": .currencyOptions, "applies_to": .value(nil)])
}

/// How long a coupon's discount lasts on a subscription (`duration`).
public enum CouponDuration: String, Sendable, Codable, CaseIterable {
    case once
    case repeating
    case forever
}

extension EventType {
    public static let couponCreated = EventType(rawValue: "coupon.created")
    public static let couponUpdated = EventType(rawValue: "coupon.updated")
    public static let couponDeleted = EventType(rawValue: "coupon.deleted")
}
