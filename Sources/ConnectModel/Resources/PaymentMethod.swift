extension Resource {
    /// Card payment methods; `customer` is the customer it is attached to.
    public static let paymentMethod = Resource(
        kind: .paymentMethod, idPrefix: "pm", noun: "PaymentMethod", path: "/v1/payment_methods",
        events: ResourceEvents(updated: .paymentMethodUpdated), customerField: "customer")
}

extension EventType {
    public static let paymentMethodUpdated = EventType(rawValue: "payment_method.updated")
    public static let paymentMethodAttached = EventType(rawValue: "payment_method.attached")
    public static let paymentMethodDetached = EventType(rawValue: "payment_method.detached")
}
