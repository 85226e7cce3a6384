extension Resource {
    /// Refunds hang from the charge they give money back from.
    public static let refund = Resource(
        kind: .refund, idPrefix: "re", noun: "refund", path: "/v1/refunds",
        events: ResourceEvents(created: .refundCreated, updated: .refundUpdated), parentField: "charge",
        statusField: .field("status"))
}

public enum RefundStatus: String, ResourceStatus {
    case pending
    case requiresAction = "requires_action"
    case succeeded
    case failed
    case canceled
}

extension EventType {
    public static let refundCreated = EventType(rawValue: "refund.created")
    public static let refundUpdated = EventType(rawValue: "refund.updated")
}
