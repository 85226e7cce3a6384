extension Resource {
    /// Payouts from an account's balance to one of its external accounts. `dueAt` is when the
    /// clock next moves it (pending → in_transit → paid or failed).
    public static let payout = Resource(
        kind: .payout, idPrefix: "po", noun: "payout", path: "/v1/payouts",
        events: ResourceEvents(created: .payoutCreated, updated: .payoutUpdated), parentField: "destination",
        statusField: .field("status"))
}

public enum PayoutStatus: String, ResourceStatus {
    case pending
    case inTransit = "in_transit"
    case paid
    case failed
    case canceled
}

extension EventType {
    public static let payoutCreated = EventType(rawValue: "payout.created")
    public static let payoutUpdated = EventType(rawValue: "payout.updated")
    public static let payoutPaid = EventType(rawValue: "payout.paid")
    public static let payoutFailed = EventType(rawValue: "payout.failed")
    public static let payoutCanceled = EventType(rawValue: "payout.canceled")
}
