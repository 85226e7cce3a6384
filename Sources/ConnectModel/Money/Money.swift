/// Junction's documented fee model: every succeeded card charge costs 2.9 % of its amount
/// (rounded half up) plus 30 minor units of its currency.
public enum FeeModel {
    public static let percentTenths = 29
    public static let fixed = 30

    public static func processingFee(amount: Int) -> Int {
        (amount * percentTenths + 500) / 1000 + fixed
    }
}

/// One movement of an account's balance (`txn_…`).
public struct BalanceEntry: Sendable, Equatable, Codable {
    public struct FeeDetail: Sendable, Equatable, Codable {
        public var amount: Int
        public var application: String?
        public var description: String
        public var type: String

        public init(amount: Int, application: String?, description: String, type: String) {
            self.amount = amount
            self.application = application
            self.description = description
            self.type = type
        }
    }

    public var id: String
    public var account: String
    /// `charge`, `refund`, `application_fee`, `application_fee_refund`, `stripe_fee`,
    /// `connect_collection_transfer`.
    public var type: String
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
        account: String, type: String, source: String?, amount: Int, fees: [FeeDetail] = [], currency: String,
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
                        "description": .string($0.description), "type": .string($0.type),
                    ]
                }),
            "net": .int(net), "reporting_category": .string(reportingCategory), "source": JSONValue(source),
            "status": now >= availableOn ? "available" : "pending", "type": .string(type),
        ]
    }

    var reportingCategory: String {
        switch type {
        case "application_fee": "platform_earning"
        case "application_fee_refund": "platform_earning_refund"
        case "stripe_fee": "fee"
        case "connect_collection_transfer": "connect_collection_transfer"
        default: type
        }
    }
}

/// Who pays what when money moves on an account (F1–F3).
public enum Settlement {
    /// What a captured charge does to balances.
    public struct Charge: Sendable, Equatable {
        /// On the charged account: the amount, less the fees it pays.
        public var account: BalanceEntry
        /// On the charging application's account: the application fee (F2).
        public var applicationFee: BalanceEntry?
        /// On the controlling platform's account, when it pays the processing fee (F1).
        public var platformFee: BalanceEntry?
    }

    /// F1 and F2 for a charge of `amount` captured on `account`.
    ///
    /// - Parameters:
    ///   - payer: the charged account's `controller.fees.payer`.
    ///   - application: the application that made the charge, with its account and fee, if any.
    ///   - controllingPlatform: the account of the platform that controls the charged account.
    public static func charge(
        _ chargeID: String, amount: Int, currency: String, on account: Account, payer: FeesPayer,
        application: (id: String, account: String, fee: Int, feeID: String)?, controllingPlatform: String?, now: Int,
        availableOn: Int
    ) -> Charge {
        let processing = FeeModel.processingFee(amount: amount)
        let platformPays = payer.platformPays && controllingPlatform != nil
        var fees: [BalanceEntry.FeeDetail] = []
        if !platformPays {
            fees.append(
                .init(amount: processing, application: nil, description: "Stripe processing fees", type: "stripe_fee"))
        }
        if let application, application.fee > 0 {
            fees.append(
                .init(
                    amount: application.fee, application: application.id, description: "Application fee",
                    type: "application_fee"))
        }
        let entry = BalanceEntry(
            account: account.id, type: "charge", source: chargeID, amount: amount, fees: fees, currency: currency,
            created: now, availableOn: availableOn, description: nil)
        var applicationFee: BalanceEntry?
        if let application, application.fee > 0 {
            applicationFee = BalanceEntry(
                account: application.account, type: "application_fee", source: application.feeID,
                amount: application.fee,
                currency: currency, created: now, availableOn: availableOn,
                description: "Application fee from \(chargeID) on \(account.id)")
        }
        var platformFee: BalanceEntry?
        if platformPays, let controllingPlatform {
            platformFee = BalanceEntry(
                account: controllingPlatform, type: "stripe_fee", source: chargeID, amount: -processing,
                currency: currency,
                created: now, availableOn: now,
                description: "Processing fees for \(chargeID) on \(account.id), paid by the platform")
        }
        return Charge(account: entry, applicationFee: applicationFee, platformFee: platformFee)
    }

    /// F3: when `balance` (available plus pending, in one currency) is below zero after a refund
    /// or dispute, the platform that carries the losses covers the deficit; with
    /// `losses.payments=stripe` it stays on the account.
    public static func coverDeficit(
        balance: Int, currency: String, on account: Account, controllingPlatform: String?, source: String, now: Int
    ) -> (account: BalanceEntry, platform: BalanceEntry)? {
        guard balance < 0, account.controller.lossesPayments == .application, let controllingPlatform else {
            return nil
        }
        let deficit = -balance
        return (
            BalanceEntry(
                account: account.id, type: "connect_collection_transfer", source: source, amount: deficit,
                currency: currency,
                created: now, availableOn: now, description: "Negative balance covered by the platform"),
            BalanceEntry(
                account: controllingPlatform, type: "connect_collection_transfer", source: source, amount: -deficit,
                currency: currency, created: now, availableOn: now,
                description: "Negative balance of \(account.id) covered")
        )
    }
}
