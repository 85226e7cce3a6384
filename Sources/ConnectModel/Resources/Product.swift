extension Resource {
    /// Products; listed by `active` through `objects.status`.
    public static let product = Resource(
        kind: .product, idPrefix: "prod", noun: "product", path: "/v1/products",
        events: ResourceEvents(created: .productCreated, updated: .productUpdated, deleted: .productDeleted),
        statusField: .activeFlag, retrievableWhenDeleted: true)
}

extension EventType {
    public static let productCreated = EventType(rawValue: "product.created")
    public static let productUpdated = EventType(rawValue: "product.updated")
    public static let productDeleted = EventType(rawValue: "product.deleted")
}
