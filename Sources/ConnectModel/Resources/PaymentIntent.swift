extension Resource {
    public static let paymentIntent = Resource(
        kind: .paymentIntent, idPrefix: "pi", noun: "payment_intent", path: "/v1/payment_intents",
        events: ResourceEvents(created: .paymentIntentCreated, updated: .paymentIntentUpdated),
        customerField: "customer", statusField: .field("status"))
}

/// Where a payment intent is in its life (Stripe's `status`).
public enum PaymentIntentStatus: String, ResourceStatus {
    case requiresPaymentMethod = "requires_payment_method"
    case requiresConfirmation = "requires_confirmation"
    case requiresAction = "requires_action"
    case processing
    case requiresCapture = "requires_capture"
    case canceled
    case succeeded

    /// The statuses from which an intent may be confirmed.
    public static let confirmable: [PaymentIntentStatus] = [.requiresConfirmation, .requiresPaymentMethod]
    /// The statuses in which an intent may still be updated.
    public static let updatable: [PaymentIntentStatus] = [
        .requiresPaymentMethod, .requiresConfirmation, .requiresAction,
    ]
    /// The statuses from which an intent may be canceled.
    public static let cancelable: [PaymentIntentStatus] = [
        .requiresPaymentMethod, .requiresCapture, .requiresConfirmation, .requiresAction,
    ]
}

extension EventType {
    public static let paymentIntentCreated = EventType(rawValue: "payment_intent.created")
    public static let paymentIntentUpdated = EventType(rawValue: "payment_intent.updated")
    public static let paymentIntentSucceeded = EventType(rawValue: "payment_intent.succeeded")
    public static let paymentIntentPaymentFailed = EventType(rawValue: "payment_intent.payment_failed")
    public static let paymentIntentAmountCapturableUpdated = EventType(
        rawValue: "payment_intent.amount_capturable_updated")
    public static let paymentIntentCanceled = EventType(rawValue: "payment_intent.canceled")
}
