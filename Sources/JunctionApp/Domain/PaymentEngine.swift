import ConnectModel
import Foundation
import JunctionStorage

/// The payment engine behind payment intents, charges and refunds: it runs inside one
/// ``ObjectTransaction`` so a charge, its balance transactions, its application fee and their
/// events are written together or not at all.
struct Payments: Sendable {
    let services: JunctionServices

    /// Who is paying whom in a call: the acting account and, when the call comes through a
    /// connection, the application (whose application fees it collects).
    struct Context: Sendable {
        var account: String
        var application: ConnectApplication?
        var request: RequestInfo
        var now: Int
    }

    static func context(_ call: APICall, now: Int) -> Context {
        let throughConnection =
            call.principal.connection != nil
            || (call.stripeAccount != nil && call.stripeAccount != call.principal.account.id)
        return Context(
            account: call.actingAccount, application: throughConnection ? call.principal.application : nil,
            request: call.requestInfo, now: now)
    }

    /// What a confirmation came to.
    enum Outcome: Sendable {
        case done(StoredObject)
        /// Declined: the failed charge and the intent are stored; the client gets a 402.
        case declined(StoredObject, CardError, chargeID: String)
    }

    // MARK: Confirm

    /// Confirms a payment intent with its payment method: charges the card.
    func confirm(_ intent: inout StoredObject, in tx: any ObjectTransaction, context: Context) async throws -> Outcome {
        let status = intent.document["status"]?.stringValue
        guard status == "requires_payment_method" || status == "requires_confirmation" else {
            throw ConnectError.invalid(
                "You cannot confirm this PaymentIntent because it has a status of \(status ?? "unknown"). Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method.",
                code: "payment_intent_unexpected_state")
        }
        guard let methodID = intent.document["payment_method"]?.stringValue else {
            throw ConnectError.invalid(
                "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm it, pass a payment_method, e.g. payment_method=pm_card_visa.",
                param: "payment_method", code: "payment_intent_unexpected_state")
        }
        let method = try await PaymentMethodController.resolve(
            methodID, account: context.account, in: tx, now: context.now, param: "payment_method")
        intent.document["payment_method"] = .string(method.id)
        if let customer = intent.customer, let owner = method.customer, owner != customer {
            throw ConnectError.invalid(
                "The provided PaymentMethod belongs to another customer.", param: "payment_method")
        }
        let amount = intent.document["amount"]?.integer ?? 0
        let currency = intent.document["currency"]?.stringValue ?? "usd"
        let chargeID = Identifiers.make("ch")
        var charge = Self.chargeDocument(
            chargeID, intent: intent, method: method, amount: amount, currency: currency, now: context.now)

        if let decline = method.document["_decline"]?.objectValue {
            let error = CardError(
                code: decline["code"]?.stringValue ?? "card_declined",
                declineCode: decline["decline_code"]?.stringValue,
                message: decline["message"]?.stringValue ?? "Your card was declined.")
            charge["status"] = "failed"
            charge["paid"] = false
            charge["captured"] = false
            charge["amount_captured"] = 0
            charge["failure_code"] = .string(error.code)
            charge["failure_message"] = .string(error.message)
            charge["outcome"] = [
                "network_status": "declined_by_network", "reason": JSONValue(error.declineCode), "risk_level": "normal",
                "risk_score": 24, "seller_message": "The bank did not return any further details with this decline.",
                "type": "issuer_declined",
            ]
            try await tx.insert(
                Self.charge(
                    charge, account: context.account, customer: intent.customer, intent: intent.id, now: context.now))
            intent.document["status"] = "requires_payment_method"
            intent.document["latest_charge"] = .string(chargeID)
            intent.document["last_payment_error"] = [
                "charge": .string(chargeID), "code": .string(error.code), "decline_code": JSONValue(error.declineCode),
                "doc_url": .string(
                    "https://stripe.com/docs/error-codes/\(error.code.replacingOccurrences(of: "_", with: "-"))"),
                "message": .string(error.message), "payment_method": method.publicDocument, "type": "card_error",
            ]
            try await tx.update(intent)
            try await emit("charge.failed", charge, context, tx)
            try await emit("payment_intent.payment_failed", intent.publicDocument, context, tx)
            return .declined(intent, error, chargeID: chargeID)
        }

        let automatic = intent.document["capture_method"]?.stringValue != "manual"
        charge["status"] = "succeeded"
        charge["paid"] = true
        charge["captured"] = .bool(automatic)
        charge["amount_captured"] = .int(automatic ? amount : 0)
        var stored = Self.charge(
            charge, account: context.account, customer: intent.customer, intent: intent.id, now: context.now)
        intent.document["latest_charge"] = .string(chargeID)
        intent.document["last_payment_error"] = .null
        if automatic {
            try await settle(
                &stored, amount: amount, intent: &intent, in: tx, context: context,
                bypassPending: method.document["_bypass_pending"] == true)
            intent.document["status"] = "succeeded"
            intent.document["amount_received"] = .int(amount)
        } else {
            stored.document["_bypass_pending"] = method.document["_bypass_pending"] ?? false
            intent.document["status"] = "requires_capture"
            intent.document["amount_capturable"] = .int(amount)
        }
        try await tx.insert(stored)
        try await tx.update(intent)
        try await emit("charge.succeeded", stored.publicDocument, context, tx)
        try await emit(
            automatic ? "payment_intent.succeeded" : "payment_intent.amount_capturable_updated", intent.publicDocument,
            context,
            tx)
        return .done(intent)
    }

    /// Captures an authorized payment intent (`capture_method=manual`).
    func capture(
        _ intent: inout StoredObject, amount requested: Int?, applicationFee: Int?, in tx: any ObjectTransaction,
        context: Context
    ) async throws {
        guard intent.document["status"]?.stringValue == "requires_capture",
            let chargeID = intent.document["latest_charge"]?.stringValue,
            var charge = try await tx.object(chargeID, account: context.account)
        else {
            throw ConnectError.invalid(
                "This PaymentIntent could not be captured because it has a status of \(intent.document["status"]?.stringValue ?? "unknown"). Only a PaymentIntent with one of the following statuses may be captured: requires_capture.",
                code: "payment_intent_unexpected_state")
        }
        let capturable = intent.document["amount_capturable"]?.integer ?? 0
        let amount = requested ?? capturable
        guard amount > 0, amount <= capturable else {
            throw ConnectError.invalid(
                "The amount to capture (\(amount)) must be positive and at most the capturable amount (\(capturable)).",
                param: "amount_to_capture")
        }
        if let applicationFee { intent.document["application_fee_amount"] = .int(applicationFee) }
        try checkApplicationFee(intent.document["application_fee_amount"]?.integer, amount: amount, context: context)
        charge.document["captured"] = true
        charge.document["amount_captured"] = .int(amount)
        charge.document["amount_refunded"] = .int(capturable - amount)  // the rest of the authorization is released
        charge.document["application_fee_amount"] = intent.document["application_fee_amount"] ?? nil
        try await settle(
            &charge, amount: amount, intent: &intent, in: tx, context: context,
            bypassPending: charge.document["_bypass_pending"] == true)
        try await tx.update(charge)
        intent.document["status"] = "succeeded"
        intent.document["amount_capturable"] = 0
        intent.document["amount_received"] = .int(amount)
        try await tx.update(intent)
        try await emit("charge.captured", charge.publicDocument, context, tx)
        try await emit("payment_intent.succeeded", intent.publicDocument, context, tx)
    }

    /// F1, F2: balance transactions of a captured charge and its application fee.
    private func settle(
        _ charge: inout StoredObject, amount: Int, intent: inout StoredObject, in tx: any ObjectTransaction,
        context: Context,
        bypassPending: Bool
    ) async throws {
        guard let account = try await tx.account(context.account) else {
            throw ConnectError.noSuch("account", context.account)
        }
        let currency = charge.document["currency"]?.stringValue ?? "usd"
        let fee = intent.document["application_fee_amount"]?.integer ?? 0
        let feeID = Identifiers.make("fee")
        var controllingPlatform: String?
        if let controller = account.controllingApplication {
            controllingPlatform = try await tx.application(controller)?.account
        }
        let delay = account.settings.value(at: "payouts.schedule.delay_days")?.integerValue ?? 2
        let availableOn = bypassPending ? context.now : context.now + delay * 86_400
        let settlement = Settlement.charge(
            charge.id, amount: amount, currency: currency, on: account, payer: account.controller.feesPayer,
            application: context.application.flatMap { fee > 0 ? ($0.id, $0.account, fee, feeID) : nil },
            controllingPlatform: controllingPlatform, now: context.now, availableOn: availableOn)
        try await tx.record(settlement.account)
        charge.document["balance_transaction"] = .string(settlement.account.id)
        if let platformFee = settlement.platformFee { try await tx.record(platformFee) }
        if let credit = settlement.applicationFee, let application = context.application {
            try await tx.record(credit)
            let feeObject = StoredObject(
                id: feeID, account: application.account, type: "application_fee", parent: charge.id,
                created: context.now,
                document: [
                    "id": .string(feeID), "object": "application_fee", "account": .string(context.account),
                    "amount": .int(fee),
                    "amount_refunded": 0, "application": .string(application.id),
                    "balance_transaction": .string(credit.id),
                    "charge": .string(charge.id), "created": .int(context.now), "currency": .string(currency),
                    "fee_source": ["charge": .string(charge.id), "type": "charge"], "livemode": false,
                    "originating_transaction": nil, "refunded": false,
                    "refunds": [
                        "object": "list", "data": [], "has_more": false, "total_count": 0,
                        "url": .string("/v1/application_fees/\(feeID)/refunds"),
                    ],
                ])
            try await tx.insert(feeObject)
            charge.document["application_fee"] = .string(feeID)
            try await tx.emit(
                Event(
                    type: "application_fee.created", account: application.account, created: context.now,
                    object: feeObject.document,
                    request: context.request))
        }
    }

    /// An application fee needs a connection to collect it, and cannot exceed the amount.
    func checkApplicationFee(_ fee: Int?, amount: Int, context: Context) throws {
        guard let fee else { return }
        guard context.application != nil else {
            throw ConnectError.invalid(
                "Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header).",
                param: "application_fee_amount")
        }
        guard fee >= 0, fee <= amount else {
            throw ConnectError.invalid(
                "The application fee (\(fee)) must be between 0 and the amount (\(amount)).",
                param: "application_fee_amount")
        }
    }

    private func emit(_ type: String, _ object: JSONValue, _ context: Context, _ tx: any ObjectTransaction) async throws
    {
        try await tx.emit(
            Event(
                type: type, account: context.account, created: context.now, object: object.withoutPrivateFields,
                request: context.request))
    }

    // MARK: Documents

    static func charge(_ document: JSONValue, account: String, customer: String?, intent: String, now: Int)
        -> StoredObject
    {
        StoredObject(
            id: document["id"]!.stringValue!, account: account, type: "charge", customer: customer, parent: intent,
            created: now,
            document: document)
    }

    static func chargeDocument(
        _ id: String, intent: StoredObject, method: StoredObject, amount: Int, currency: String, now: Int
    ) -> JSONValue {
        let card = method.document["card"] ?? [:]
        return [
            "id": .string(id), "object": "charge", "amount": .int(amount), "amount_captured": 0, "amount_refunded": 0,
            "application": intent.document["application"] ?? nil, "application_fee": nil,
            "application_fee_amount": intent.document["application_fee_amount"] ?? nil, "balance_transaction": nil,
            "billing_details": method.document["billing_details"] ?? nil,
            "calculated_statement_descriptor": intent.document["statement_descriptor"] ?? "JUNCTION",
            "captured": false, "created": .int(now), "currency": .string(currency),
            "customer": JSONValue(intent.customer), "description": intent.document["description"] ?? nil,
            "disputed": false,
            "failure_balance_transaction": nil, "failure_code": nil, "failure_message": nil, "fraud_details": [:],
            "livemode": false, "metadata": intent.document["metadata"] ?? [:], "on_behalf_of": nil,
            "outcome": [
                "network_status": "approved_by_network", "reason": nil, "risk_level": "normal", "risk_score": 24,
                "seller_message": "Payment complete.", "type": "authorized",
            ],
            "paid": false, "payment_intent": .string(intent.id), "payment_method": .string(method.id),
            "payment_method_details": [
                "card": [
                    "brand": card["brand"] ?? nil, "checks": card["checks"] ?? nil, "country": card["country"] ?? nil,
                    "exp_month": card["exp_month"] ?? nil, "exp_year": card["exp_year"] ?? nil,
                    "fingerprint": card["fingerprint"] ?? nil, "funding": card["funding"] ?? nil,
                    "last4": card["last4"] ?? nil,
                    "network": card["brand"] ?? nil, "three_d_secure": nil, "wallet": nil,
                ],
                "type": "card",
            ],
            "receipt_email": intent.document["receipt_email"] ?? nil, "receipt_number": nil, "receipt_url": nil,
            "refunded": false, "review": nil, "shipping": nil, "source": nil, "source_transfer": nil,
            "statement_descriptor": intent.document["statement_descriptor"] ?? nil,
            "statement_descriptor_suffix": intent.document["statement_descriptor_suffix"] ?? nil, "status": "pending",
            "transfer_data": nil, "transfer_group": nil,
        ]
    }
}

extension JSONValue {
    var integer: Int? { integerValue }
}
