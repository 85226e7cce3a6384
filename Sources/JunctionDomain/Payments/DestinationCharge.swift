import ConnectModel
import JunctionStorage

/// A destination charge (F6): the platform charges on its own account and the charge's money
/// goes on, in the same transaction, to the connected account `transfer_data[destination]`
/// names, less the application fee the platform keeps.
public struct DestinationCharge: Sendable {
    /// The account the money goes to (connected to the platform, checked by the caller).
    public var account: Account
    /// `transfer_data[amount]`: what is sent on; all of the charge when `nil`.
    public var amount: Int?
    /// The platform's application: it collects the application fee.
    public var application: ConnectApplication?

    public init(account: Account, amount: Int?, application: ConnectApplication?) {
        self.account = account
        self.amount = amount
        self.application = application
    }

    /// What Stripe refuses at creation.
    func check(amount total: Int, onBehalfOf: String?) throws(JunctionError) {
        if let amount, amount > total {
            throw .invalid(
                "transfer_data[amount] (\(amount)) must be less than or equal to the amount of the payment (\(total)).",
                param: "transfer_data[amount]")
        }
        if let onBehalfOf, onBehalfOf != account.id {
            throw .invalid(
                "on_behalf_of (\(onBehalfOf)) must be the same account as transfer_data[destination] (\(account.id)).",
                param: "on_behalf_of")
        }
        try Transfers.checkCapability(account, param: "transfer_data[destination]")
        // The settlement merchant takes the charge: its card payments must be active.
        if onBehalfOf != nil, account.capabilityStatus("card_payments") != .active {
            throw .invalid(
                "Your account cannot currently make charges. To find out why charge creation is currently disabled, look at the `requirements.disabled_reason` property on this account (/v1/accounts/\(account.id)).",
                param: "on_behalf_of")
        }
    }

    /// The intent's `transfer_data`, and who collects its fee (private).
    func describe(in document: inout JSONValue) {
        document["transfer_data"] = ["amount": amount.map(JSONValue.int) ?? nil, "destination": .string(account.id)]
        document[PrivateField.platformApplication] = JSONValue(application?.id)
    }

    /// F6 at capture: the platform keeps the charge and pays its processing fee (F1 on its own
    /// account); the transfer sends `transfer_data[amount]` (else all) to the destination, whose
    /// `payment` carries the application fee, collected back onto the platform.
    static func settle(
        _ charge: inout StoredObject, amount: Int, intent: StoredObject, destinationID: String,
        in tx: any ObjectTransaction, caller: Caller, availableOn: Int
    ) async throws {
        guard let platform = try await tx.account(caller.account) else {
            throw JunctionError.noSuch("account", caller.account)
        }
        guard let destination = try await tx.account(destinationID) else {
            throw JunctionError.noSuch("destination", destinationID, param: "transfer_data[destination]")
        }
        try Transfers.checkCapability(destination, param: "transfer_data[destination]")
        let currency = charge.document["currency"]?.stringValue ?? "usd"
        let settlement = Settlement.charge(
            charge.id, amount: amount, currency: currency, on: platform, payer: platform.controller.feesPayer,
            application: nil,
            controllingPlatform: try await PaymentEngine.controllingPlatformAccount(of: platform, in: tx),
            now: caller.now, availableOn: availableOn)
        try await tx.record(settlement.account)
        if let platformFee = settlement.platformFee { try await tx.record(platformFee) }
        charge.document["balance_transaction"] = .string(settlement.account.id)

        let sent = min(intent.document["transfer_data"]?["amount"]?.integerValue ?? amount, amount)
        let fee = min(intent.document["application_fee_amount"]?.integerValue ?? 0, sent)
        let application =
            try await intent.document[PrivateField.platformApplication]?.stringValue.asyncMap {
                try await tx.application($0)
            } ?? nil
        let group = intent.document["transfer_group"]?.stringValue ?? "group_\(intent.id)"
        let feeID = Resource.applicationFee.newID()
        let feeDetail =
            fee > 0
            ? BalanceEntry.FeeDetail(
                amount: fee, application: application?.id, description: "Application fee", type: .applicationFee)
            : nil
        let transfer = try await Transfers.send(
            Transfers.Request(amount: sent, currency: currency, destination: destination.id, transferGroup: group),
            to: destination, source: charge, availableOn: availableOn, applicationFee: feeDetail, in: tx,
            caller: caller)
        let paymentID = transfer.document["destination_payment"]?.stringValue ?? ""
        if fee > 0 {
            let credit = BalanceEntry(
                account: caller.account, type: .applicationFee, source: feeID, amount: fee, currency: currency,
                created: caller.now, availableOn: availableOn,
                description: "Application fee from \(paymentID) on \(destination.id)")
            try await tx.record(credit)
            var document = ApplicationFeeDocument.new(
                feeID, amount: fee, currency: currency, charge: paymentID, account: destination.id,
                application: application?.id ?? "", balanceTransaction: credit.id, now: caller.now)
            document["originating_transaction"] = .string(charge.id)
            try await tx.create(
                StoredObject(
                    id: feeID, account: caller.account, kind: .applicationFee, created: caller.now, document: document),
                caller: caller)
            charge.document["application_fee"] = .string(feeID)
            charge.document["application_fee_amount"] = .int(fee)
        }
        charge.document["transfer"] = .string(transfer.id)
        charge.document["transfer_data"] = intent.document["transfer_data"] ?? nil
        charge.document["transfer_group"] = .string(group)
        charge.document["on_behalf_of"] = intent.document["on_behalf_of"] ?? nil
    }
}
