import ConnectModel
import JunctionStorage

/// The payment engine behind payment intents, subscriptions and refunds. It runs inside one
/// ``ObjectTransaction``, so a charge, its balance transactions, its application fee and their
/// events are written together or not at all (F1, F2).
public enum PaymentEngine {
    /// What a confirmation came to.
    public enum Outcome: Sendable {
        case done(StoredObject)
        /// Declined: the failed charge and the intent are stored; the client gets a 402.
        case declined(StoredObject, JunctionError, chargeID: String)
    }

    /// Confirms a payment intent with its payment method: charges the card.
    public static func confirm(_ intent: inout StoredObject, in tx: any ObjectTransaction, caller: Caller)
        async throws -> Outcome
    {
        guard intent.hasStatus(in: PaymentIntentStatus.confirmable) else {
            throw JunctionError.invalid(
                "You cannot confirm this PaymentIntent because it has a status of \(intent.statusValue ?? "unknown"). Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method.",
                code: "payment_intent_unexpected_state")
        }
        guard let methodID = intent.document["payment_method"]?.stringValue else {
            throw JunctionError.invalid(
                "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm it, pass a payment_method, e.g. payment_method=pm_card_visa.",
                param: "payment_method", code: "payment_intent_unexpected_state")
        }
        // Issue 12, point 6: the charged account needs an active `card_payments` capability.
        guard let charged = try await tx.account(caller.account) else {
            throw JunctionError.noSuch("account", caller.account)
        }
        try checkCanCharge(charged)
        let method = try await PaymentMethods.resolve(methodID, in: tx, caller: caller, param: "payment_method")
        intent.document["payment_method"] = .string(method.id)
        try PaymentMethodTypes.check(
            method.document["type"]?.stringValue ?? PaymentMethodTypes.card,
            allowedBy: intent.document["payment_method_types"]?.arrayItems?.compactMap(\.stringValue) ?? [])
        if let customer = intent.customer, let owner = method.customer, owner != customer {
            throw JunctionError.invalid(
                "The provided PaymentMethod belongs to another customer.", param: "payment_method")
        }
        let amount = intent.document["amount"]?.integerValue ?? 0
        if let fee = intent.document["application_fee_amount"]?.integerValue, fee > amount {
            throw JunctionError.invalid(
                "The application fee (\(fee)) must be between 0 and the amount (\(amount)).",
                param: "application_fee_amount")
        }
        let currency = intent.document["currency"]?.stringValue ?? "usd"
        var charge = ChargeDocument.new(
            Resource.charge.newID(), intent: intent, method: method, amount: amount, currency: currency,
            now: caller.now)

        if let decline = method.document[PrivateField.decline]?.objectValue {
            let error = JunctionError.card(
                code: decline["code"]?.stringValue ?? "card_declined",
                declineCode: decline["decline_code"]?.stringValue,
                message: decline["message"]?.stringValue ?? "Your card was declined.")
            ChargeDocument.decline(&charge, error)
            let chargeID = charge["id"]?.stringValue ?? ""
            try await tx.insert(stored(charge, caller: caller))
            intent.setStatus(PaymentIntentStatus.requiresPaymentMethod)
            intent.document["latest_charge"] = .string(chargeID)
            intent.document["last_payment_error"] = [
                "charge": .string(chargeID), "code": JSONValue(error.code),
                "decline_code": JSONValue(error.declineCode),
                "doc_url": .string(JunctionError.docURL(code: error.code ?? "card_declined")),
                "message": .string(error.message), "payment_method": method.publicDocument, "type": "card_error",
            ]
            try await tx.update(intent)
            try await tx.emit(.chargeFailed, charge, caller: caller)
            try await tx.emit(.paymentIntentPaymentFailed, intent.document, caller: caller)
            return .declined(intent, error, chargeID: chargeID)
        }

        let automatic = intent.document["capture_method"]?.stringValue != "manual"
        charge["status"] = JSONValue(ChargeStatus.succeeded)
        charge["paid"] = true
        charge["captured"] = .bool(automatic)
        charge["amount_captured"] = .int(automatic ? amount : 0)
        var stored = stored(charge, caller: caller)
        intent.document["latest_charge"] = .string(stored.id)
        intent.document["last_payment_error"] = .null
        if automatic {
            try await settle(
                &stored, amount: amount, intent: &intent, in: tx, caller: caller,
                bypassPending: method.document[PrivateField.bypassPending] == true)
            intent.setStatus(PaymentIntentStatus.succeeded)
            intent.document["amount_received"] = .int(amount)
        } else {
            stored.document[PrivateField.bypassPending] = method.document[PrivateField.bypassPending] ?? false
            intent.setStatus(PaymentIntentStatus.requiresCapture)
            intent.document["amount_capturable"] = .int(amount)
        }
        try await tx.insert(stored)
        try await tx.update(intent)
        try await tx.emit(.chargeSucceeded, stored.document, caller: caller)
        try await tx.emit(
            automatic ? .paymentIntentSucceeded : .paymentIntentAmountCapturableUpdated, intent.document,
            caller: caller)
        return .done(intent)
    }

    /// Captures an authorized payment intent (`capture_method=manual`).
    public static func capture(
        _ intent: inout StoredObject, amount requested: Int?, applicationFee: Int?, in tx: any ObjectTransaction,
        caller: Caller
    ) async throws {
        guard intent.status(PaymentIntentStatus.self) == .requiresCapture,
            let chargeID = intent.document["latest_charge"]?.stringValue,
            var charge = try await tx.object(chargeID, account: caller.account)
        else {
            throw JunctionError.invalid(
                "This PaymentIntent could not be captured because it has a status of \(intent.statusValue ?? "unknown"). Only a PaymentIntent with one of the following statuses may be captured: requires_capture.",
                code: "payment_intent_unexpected_state")
        }
        let capturable = intent.document["amount_capturable"]?.integerValue ?? 0
        let amount = requested ?? capturable
        guard amount > 0, amount <= capturable else {
            throw JunctionError.invalid(
                "The amount to capture (\(amount)) must be positive and at most the capturable amount (\(capturable)).",
                param: "amount_to_capture")
        }
        if let applicationFee { intent.document["application_fee_amount"] = .int(applicationFee) }
        try checkApplicationFee(
            intent.document["application_fee_amount"]?.integerValue, amount: amount, caller: caller,
            destinationCharge: intent.document["transfer_data"]?["destination"]?.stringValue != nil)
        charge.document["captured"] = true
        charge.document["amount_captured"] = .int(amount)
        charge.document["amount_refunded"] = .int(capturable - amount)  // the rest of the authorization is released
        charge.document["application_fee_amount"] = intent.document["application_fee_amount"] ?? nil
        try await settle(
            &charge, amount: amount, intent: &intent, in: tx, caller: caller,
            bypassPending: charge.document[PrivateField.bypassPending] == true)
        try await tx.update(charge)
        intent.setStatus(PaymentIntentStatus.succeeded)
        intent.document["amount_capturable"] = 0
        intent.document["amount_received"] = .int(amount)
        try await tx.update(intent)
        try await tx.emit(.chargeCaptured, charge.document, caller: caller)
        try await tx.emit(.paymentIntentSucceeded, intent.document, caller: caller)
    }

    /// Cancels a payment intent; an authorization is released (nothing was captured, so no
    /// money moves).
    public static func cancel(
        _ intent: inout StoredObject, reason: String?, in tx: any ObjectTransaction, caller: Caller
    ) async throws {
        guard intent.hasStatus(in: PaymentIntentStatus.cancelable) else {
            throw JunctionError.invalid(
                "You cannot cancel this PaymentIntent because it has a status of \(intent.statusValue ?? ""). Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action.",
                code: "payment_intent_unexpected_state")
        }
        if intent.status(PaymentIntentStatus.self) == .requiresCapture,
            let chargeID = intent.document["latest_charge"]?.stringValue,
            var charge = try await tx.object(chargeID, account: caller.account)
        {
            charge.document["refunded"] = true
            charge.document["amount_refunded"] = charge.document["amount"] ?? 0
            try await tx.update(charge)
        }
        intent.setStatus(PaymentIntentStatus.canceled)
        intent.document["canceled_at"] = .int(caller.now)
        intent.document["cancellation_reason"] = JSONValue(reason)
        intent.document["amount_capturable"] = 0
        try await tx.update(intent)
        try await tx.emit(.paymentIntentCanceled, intent.document, caller: caller)
    }

    /// Stripe refuses card charges on an account whose `card_payments` capability is not active
    /// (requirements due, rejected, or never requested), in these words.
    static func checkCanCharge(_ account: Account) throws(JunctionError) {
        guard account.capabilityStatus("card_payments") == .active, account.chargesEnabled else {
            throw .invalid(
                "Your account cannot currently make charges. To find out why charge creation is currently disabled, look at the `requirements.disabled_reason` property on this account (/v1/accounts/\(account.id))."
            )
        }
    }

    /// An application fee needs a connection to collect it, and cannot exceed the amount.
    public static func checkApplicationFee(_ fee: Int?, amount: Int, caller: Caller, destinationCharge: Bool = false)
        throws(JunctionError)
    {
        guard let fee else { return }
        guard caller.application != nil || destinationCharge else {
            throw .invalid(
                "Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header).",
                param: "application_fee_amount")
        }
        guard fee >= 0, fee <= amount else {
            throw .invalid(
                "The application fee (\(fee)) must be between 0 and the amount (\(amount)).",
                param: "application_fee_amount")
        }
    }

    /// F1, F2: the balance transactions of a captured charge, and its application fee.
    private static func settle(
        _ charge: inout StoredObject, amount: Int, intent: inout StoredObject, in tx: any ObjectTransaction,
        caller: Caller, bypassPending: Bool
    ) async throws {
        guard let account = try await tx.account(caller.account) else {
            throw JunctionError.noSuch("account", caller.account)
        }
        let currency = charge.document["currency"]?.stringValue ?? "usd"
        let fee = intent.document["application_fee_amount"]?.integerValue ?? 0
        let feeID = Resource.applicationFee.newID()
        let controllingPlatform = try await controllingPlatformAccount(of: account, in: tx)
        let delay = account.settings.value(at: "payouts.schedule.delay_days")?.integerValue ?? 2
        let availableOn = bypassPending ? caller.now : caller.now + delay * 86_400
        if let destination = intent.document["transfer_data"]?["destination"]?.stringValue {
            try await DestinationCharge.settle(
                &charge, amount: amount, intent: intent, destinationID: destination, in: tx, caller: caller,
                availableOn: availableOn)
            return
        }
        let settlement = Settlement.charge(
            charge.id, amount: amount, currency: currency, on: account, payer: account.controller.feesPayer,
            application: caller.application.flatMap { fee > 0 ? ($0.id, $0.account, fee, feeID) : nil },
            controllingPlatform: controllingPlatform, now: caller.now, availableOn: availableOn)
        try await tx.record(settlement.account)
        charge.document["balance_transaction"] = .string(settlement.account.id)
        if let platformFee = settlement.platformFee { try await tx.record(platformFee) }
        if let credit = settlement.applicationFee, let application = caller.application {
            try await tx.record(credit)
            let feeObject = StoredObject(
                id: feeID, account: application.account, kind: .applicationFee, created: caller.now,
                document: ApplicationFeeDocument.new(
                    feeID, amount: fee, currency: currency, charge: charge.id, account: caller.account,
                    application: application.id, balanceTransaction: credit.id, now: caller.now))
            try await tx.create(feeObject, caller: caller)
            charge.document["application_fee"] = .string(feeID)
        }
    }

    /// The account of the platform that controls `account` (it pays fees and carries losses as
    /// the controller properties say), if any.
    static func controllingPlatformAccount(of account: Account, in tx: any ObjectTransaction) async throws -> String? {
        guard let controller = account.controllingApplication else { return nil }
        return try await tx.application(controller)?.account
    }

    private static func stored(_ charge: JSONValue, caller: Caller) -> StoredObject {
        StoredObject(
            id: charge["id"]?.stringValue ?? "", account: caller.account, kind: .charge, created: caller.now,
            document: charge)
    }
}
