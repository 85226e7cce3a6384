/// What an object an account owns is: the value kept in `objects.type`. Each kind has one
/// ``Resource`` descriptor that says everything else about it.
public enum ObjectKind: String, Sendable, Codable, CaseIterable {
    case customer
    case paymentMethod = "payment_method"
    case paymentIntent = "payment_intent"
    case charge
    case refund
    case applicationFee = "application_fee"
    case feeRefund = "fee_refund"
    case transfer
    case transferReversal = "transfer_reversal"
    case payout
    case product
    case price
    case coupon
    case subscription
    case invoice
    case webhookEndpoint = "webhook_endpoint"
    /// A `junction listen` session: an endpoint its listener pulls from (`stripecli.session`).
    case listenSession = "listen_session"
    case meter = "billing.meter"
    case meterEvent = "billing.meter_event"

    /// The descriptor of this kind.
    public var resource: Resource {
        switch self {
        case .customer: .customer
        case .paymentMethod: .paymentMethod
        case .paymentIntent: .paymentIntent
        case .charge: .charge
        case .refund: .refund
        case .applicationFee: .applicationFee
        case .feeRefund: .feeRefund
        case .transfer: .transfer
        case .transferReversal: .transferReversal
        case .payout: .payout
        case .product: .product
        case .price: .price
        case .coupon: .coupon
        case .subscription: .subscription
        case .invoice: .invoice
        case .webhookEndpoint: .webhookEndpoint
        case .listenSession: .listenSession
        case .meter: .meter
        case .meterEvent: .meterEvent
        }
    }
}
