extension Resource {
    public static let customer = Resource(
        kind: .customer, idPrefix: "cus", noun: "customer", path: "/v1/customers",
        events: ResourceEvents(created: .customerCreated, updated: .customerUpdated, deleted: .customerDeleted),
        retrievableWhenDeleted: true,
        includable: [
            "sources": .list(nil, by: .none), "tax_ids": .list(nil, by: .none),
            "subscriptions": .list(.subscription, by: .customer),
            "tax": .value(["automatic_tax": "unrecognized_location", "ip_address": nil, "location": nil]),
            "cash_balance": .value(nil), "invoice_credit_balance": .value([:]),
        ])
}

extension EventType {
    public static let customerCreated = EventType(rawValue: "customer.created")
    public static let customerUpdated = EventType(rawValue: "customer.updated")
    public static let customerDeleted = EventType(rawValue: "customer.deleted")
}
