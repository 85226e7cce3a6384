extension Resource {
    public static let subscription = Resource(
        kind: .subscription, idPrefix: "sub", noun: "subscription", path: "/v1/subscriptions",
        events: ResourceEvents(
            created: .subscriptionCreated, updated: .subscriptionUpdated, deleted: .subscriptionDeleted),
        customerField: "customer", statusField: .field("status"))

    /// The items of a subscription: listed in the subscription, with their own ids (`si_…`).
    public static let subscriptionItemPrefix = "si"
}

public enum SubscriptionStatus: String, ResourceStatus {
    case incomplete
    case incompleteExpired = "incomplete_expired"
    case trialing
    case active
    case pastDue = "past_due"
    case canceled
    case unpaid
    case paused
}

extension EventType {
    public static let subscriptionCreated = EventType(rawValue: "customer.subscription.created")
    public static let subscriptionUpdated = EventType(rawValue: "customer.subscription.updated")
    public static let subscriptionDeleted = EventType(rawValue: "customer.subscription.deleted")
}

/// How a subscription's invoices are paid (`collection_method`).
public enum CollectionMethod: String, Sendable, CaseIterable {
    /// Charged to the default payment method when the invoice is made.
    case chargeAutomatically = "charge_automatically"
    /// Left `open` for the customer to pay within `days_until_due`; unpaid by then, the
    /// subscription becomes `past_due`.
    case sendInvoice = "send_invoice"
}

/// What changing a subscription's items in the middle of a period bills (`proration_behavior`).
public enum ProrationBehavior: String, Sendable, CaseIterable {
    /// Credit for the unused time of what was, a charge for the rest of the period of what is,
    /// both on the next invoice.
    case createProrations = "create_prorations"
    /// The same prorations, invoiced and charged at once.
    case alwaysInvoice = "always_invoice"
    /// Nothing: the change shows from the next period.
    case none
}
