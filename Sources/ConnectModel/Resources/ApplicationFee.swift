extension Resource {
    /// Application fees belong to the application's account and hang from the charge they came from.
    public static let applicationFee = Resource(
        kind: .applicationFee, idPrefix: "fee", noun: "application fee", path: "/v1/application_fees",
        events: ResourceEvents(created: .applicationFeeCreated), parentField: "charge")
}

extension EventType {
    public static let applicationFeeCreated = EventType(rawValue: "application_fee.created")
    public static let applicationFeeRefunded = EventType(rawValue: "application_fee.refunded")
}
