extension Resource {
    /// Transfers a platform sends to its connected accounts: they belong to the platform, and
    /// hang from the account they went to (`destination`), which lists filter on.
    public static let transfer = Resource(
        kind: .transfer, idPrefix: "tr", noun: "transfer", path: "/v1/transfers",
        events: ResourceEvents(created: .transferCreated, updated: .transferUpdated), parentField: "destination")

    /// Reversals of a transfer hang from it; their URL is under the transfer's.
    public static let transferReversal = Resource(
        kind: .transferReversal, idPrefix: "trr", noun: "transfer reversal", path: "/v1/transfers/{id}/reversals",
        parentField: "transfer")

    /// The list URL of one transfer's reversals.
    public static func transferReversals(of transfer: String) -> String { "/v1/transfers/\(transfer)/reversals" }
}

extension EventType {
    public static let transferCreated = EventType(rawValue: "transfer.created")
    public static let transferUpdated = EventType(rawValue: "transfer.updated")
    public static let transferReversed = EventType(rawValue: "transfer.reversed")
}
