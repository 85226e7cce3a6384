/// What moved an account's balance (a balance transaction's `type`).
public enum BalanceTransactionType: String, Sendable, Codable, CaseIterable {
    case charge
    case refund
    case applicationFee = "application_fee"
    case applicationFeeRefund = "application_fee_refund"
    case stripeFee = "stripe_fee"
    case connectCollectionTransfer = "connect_collection_transfer"
    /// Money a platform sent to a connected account (on the platform).
    case transfer
    /// A transfer given back (on the platform).
    case transferRefund = "transfer_refund"
    /// A transfer received (on the connected account; its source is the `py_` payment).
    case payment
    /// A transfer reversed (on the connected account).
    case paymentRefund = "payment_refund"
    /// Money paid out to an external account.
    case payout
    /// A payout canceled before it left: the money back.
    case payoutCancel = "payout_cancel"
    /// A payout the bank returned: the money back.
    case payoutFailure = "payout_failure"

    /// Stripe's `reporting_category`.
    public var reportingCategory: String {
        switch self {
        case .applicationFee: "platform_earning"
        case .applicationFeeRefund: "platform_earning_refund"
        case .stripeFee: "fee"
        case .transferRefund: "transfer_reversal"
        case .payment: "charge"
        case .paymentRefund: "refund"
        case .payoutCancel, .payoutFailure: "payout_reversal"
        case .charge, .refund, .connectCollectionTransfer, .transfer, .payout: rawValue
        }
    }
}

/// A fee taken from a balance transaction (`fee_details[].type`).
public enum FeeType: String, Sendable, Codable {
    case stripeFee = "stripe_fee"
    case applicationFee = "application_fee"
}

/// One movement of an account's balance (`txn_…`).
public struct BalanceEntry: Sendable, Equatable, Codable {
    public struct FeeDetail: Sendable, Equatable, Codable {
        public var amount: Int
        public var application: String?
        public var description: String
        public var type: FeeType

        public init(amount: Int, application: String?, description: String, type: FeeType) {
            self.amount = amount
            self.application = application
            self.description = description
            self.type = type
        }
    }

    public var id: String
    public var account: String
    public var type: BalanceTransactionType
    public var source: String?
    public var amount: Int
    public var fees: [FeeDetail]
    public var currency: String
    public var created: Int
    /// When the money becomes available: pending before.
    public var availableOn: Int
    public var description: String?

    public var fee: Int { fees.reduce(0) { $0 + $1.amount } }
    public var net: Int { amount - fee }

    public init(
        account: String, type: BalanceTransactionType, source: String?, amount: Int, fees: [FeeDetail] = [],
        currency: String,
        created: Int, availableOn: Int, description: String?
    ) {
        self.id = Identifiers.make("txn")
        self.account = account
        self.type = type
        self.source = source
        self.amount = amount
        self.fees = fees
        self.currency = currency
        self.created = created
        self.availableOn = availableOn
        self.description = description
    }

    /// The `balance_transaction` object at time `now` (its status depends on it).
    public func rendered(now: Int) -> JSONValue {
        [
            "id": .string(id), "object": "balance_transaction", "amount": .int(amount),
            "available_on": .int(availableOn),
            "balance_type": "payments", "created": .int(created), "currency": .string(currency),
            "description": JSONValue(description), "exchange_rate": nil, "fee": .int(fee),
            "fee_details": .array(
                fees.map {
                    [
                        "amount": .int($0.amount), "application": JSONValue($0.application),
                        "currency": .string(currency),
                        "description": .string($0.description), "type": .string($0.type.rawValue),
                    ]
                }),
            "net": .int(net), "reporting_category": .string(type.reportingCategory), "source": JSONValue(source),
            "status": now >= availableOn ? "available" : "pending", "type": .string(type.rawValue),
        ]
    }
}
