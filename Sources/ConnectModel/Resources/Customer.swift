extension Resource {
    public static let customer = Resource(
        kind: .customer, idPrefix: "cus", noun: "customer", path: "/v1/customers",
        events: ResourceEvents(created: .customerCreated, updated: .customerUpdated, deleted: .customerDeleted),
        retrievableWhenDeleted: true)
}

extension EventType {
    public static let customerCreated = EventType(rawValue: "customer.created")
    public static let customerUpdated = EventType(rawValue: "customer.updated")
    public static let customerDeleted = EventType(rawValue: "customer.deleted")
}
