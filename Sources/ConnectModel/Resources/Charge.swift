extension Resource {
    /// Charges hang from the payment intent that made them.
    public static let charge = Resource(
        kind: .charge, idPrefix: "ch", noun: "charge", path: "/v1/charges",
        events: ResourceEvents(updated: .chargeUpdated), customerField: "customer", parentField: "payment_intent",
        statusField: .field("status"),
        // Since 2022-11-15 a charge lists its refunds only when asked to (`expand[]=refunds`).
        includable: ["refunds": .list(.refund, by: .parent)])
}

public enum ChargeStatus: String, ResourceStatus {
    case pending
    case succeeded
    case failed
}

extension EventType {
    public static let chargeUpdated = EventType(rawValue: "charge.updated")
    public static let chargeSucceeded = EventType(rawValue: "charge.succeeded")
    public static let chargeFailed = EventType(rawValue: "charge.failed")
    public static let chargeCaptured = EventType(rawValue: "charge.captured")
    public static let chargeRefunded = EventType(rawValue: "charge.refunded")
}
