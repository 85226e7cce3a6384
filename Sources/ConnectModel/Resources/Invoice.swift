extension Resource {
    /// Invoices hang from the subscription they bill.
    public static let invoice = Resource(
        kind: .invoice, idPrefix: "in", noun: "invoice", path: "/v1/invoices",
        events: ResourceEvents(created: .invoiceCreated), customerField: "customer",
        parentField: "parent.subscription_details.subscription", statusField: .field("status"),
        // The client secret of the invoice's payment intent, sent only when asked for.
        includable: ["confirmation_secret": .privateField(PrivateField.confirmationSecret)])

    /// Invoice lines: listed in the invoice, with their own ids (`il_…`).
    public static let invoiceLinePrefix = "il"
}

public enum InvoiceStatus: String, ResourceStatus {
    case draft
    case open
    case paid
    case uncollectible
    case void
}

/// Why an invoice was made (`billing_reason`).
public enum BillingReason: String, Sendable {
    case subscriptionCreate = "subscription_create"
    case subscriptionCycle = "subscription_cycle"
    case subscriptionUpdate = "subscription_update"
    case manual
}

extension EventType {
    public static let invoiceCreated = EventType(rawValue: "invoice.created")
    public static let invoiceFinalized = EventType(rawValue: "invoice.finalized")
    public static let invoicePaid = EventType(rawValue: "invoice.paid")
    public static let invoicePaymentSucceeded = EventType(rawValue: "invoice.payment_succeeded")
    public static let invoicePaymentFailed = EventType(rawValue: "invoice.payment_failed")
    public static let invoiceVoided = EventType(rawValue: "invoice.voided")
}
