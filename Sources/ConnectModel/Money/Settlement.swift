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
                .init(amount: processing, application: nil, description: "Stripe processing fees", type: .stripeFee))
        }
        if let application, application.fee > 0 {
            fees.append(
                .init(
                    amount: application.fee, application: application.id, description: "Application fee",
                    type: .applicationFee))
        }
        let entry = BalanceEntry(
            account: account.id, type: .charge, source: chargeID, amount: amount, fees: fees, currency: currency,
            created: now, availableOn: availableOn, description: nil)
        var applicationFee: BalanceEntry?
        if let application, application.fee > 0 {
            applicationFee = BalanceEntry(
                account: application.account, type: .applicationFee, source: application.feeID,
                amount: application.fee,
                currency: currency, created: now, availableOn: availableOn,
                description: "Application fee from \(chargeID) on \(account.id)")
        }
        var platformFee: BalanceEntry?
        if platformPays, let controllingPlatform {
            platformFee = BalanceEntry(
                account: controllingPlatform, type: .stripeFee, source: chargeID, amount: -processing,
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
                account: account.id, type: .connectCollectionTransfer, source: source, amount: deficit,
                currency: currency,
                created: now, availableOn: now, description: "Negative balance covered by the platform"),
            BalanceEntry(
                account: controllingPlatform, type: .connectCollectionTransfer, source: source, amount: -deficit,
                currency: currency, created: now, availableOn: now,
                description: "Negative balance of \(account.id) covered")
        )
    }
}
