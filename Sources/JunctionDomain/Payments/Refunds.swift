import ConnectModel
import Foundation
import JunctionStorage

/// Refunds of charges (A5, F3), and refunds of the application fees platforms collected (F2).
public struct Refunds: Sendable {
    let store: any ObjectStore

    public init(store: any ObjectStore) {
        self.store = store
    }

    /// What `POST /v1/refunds` asks for: exactly one of `charge` and `paymentIntent`.
    public struct Request: Sendable {
        public var charge: String?
        public var paymentIntent: String?
        /// All that is left, when `nil`.
        public var amount: Int?
        public var reason: String?
        public var refundApplicationFee: Bool
        /// A destination charge's refund takes its share back from the account (F6).
        public var reverseTransfer: Bool
        public var metadata: JSONValue

        public init(
            charge: String? = nil, paymentIntent: String? = nil, amount: Int? = nil, reason: String? = nil,
            refundApplicationFee: Bool = false, reverseTransfer: Bool = false, metadata: JSONValue = [:]
        ) {
            self.reverseTransfer = reverseTransfer
            self.charge = charge
            self.paymentIntent = paymentIntent
            self.amount = amount
            self.reason = reason
            self.refundApplicationFee = refundApplicationFee
            self.metadata = metadata
        }
    }

    public func create(_ request: Request, caller: Caller) async throws -> StoredObject {
        guard (request.charge == nil) != (request.paymentIntent == nil) else {
            throw JunctionError.invalid(
                "Specify exactly one of charge or payment_intent.",
                param: request.charge == nil ? "charge" : "payment_intent")
        }
        return try await store.write { tx in
            var charge: StoredObject
            if let chargeID = request.charge {
                charge = try await tx.require(.charge, chargeID, account: caller.account, param: "charge")
            } else {
                let intentID = request.paymentIntent ?? ""
                guard let intent = try await tx.object(intentID, account: caller.account),
                    intent.kind == .paymentIntent,
                    let latest = intent.document["latest_charge"]?.stringValue,
                    let found = try await tx.object(latest, account: caller.account)
                else { throw Resource.paymentIntent.noSuch(intentID, param: "payment_intent") }
                charge = found
            }
            return try await Self.refund(&charge, request, in: tx, caller: caller)
        }
    }

    /// Refunds `amount` (all that is left by default) of a captured charge.
    static func refund(_ charge: inout StoredObject, _ request: Request, in tx: any ObjectTransaction, caller: Caller)
        async throws -> StoredObject
    {
        guard charge.status(ChargeStatus.self) == .succeeded, charge.document["captured"] == true else {
            let why =
                charge.status(ChargeStatus.self) == .failed
                ? "failed" : "has not been captured; cancel its PaymentIntent instead"
            throw JunctionError.invalid(
                "Charge \(charge.id) cannot be refunded: it \(why).", code: "charge_not_refundable")
        }
        let amount = charge.document["amount"]?.integerValue ?? 0
        let refunded = charge.document["amount_refunded"]?.integerValue ?? 0
        let refundable = amount - refunded
        let value = request.amount ?? refundable
        guard refundable > 0 else {
            throw JunctionError.invalid(
                "Charge \(charge.id) has already been refunded.", code: "charge_already_refunded")
        }
        guard value <= refundable else {
            throw JunctionError.invalid(
                "Refund amount (\(value)) is greater than the unrefunded amount on charge \(charge.id) (\(refundable)).",
                param: "amount", code: "amount_too_large")
        }
        let transferID = charge.document["transfer"]?.stringValue
        if request.reverseTransfer, transferID == nil {
            throw JunctionError.invalid(
                "Charge \(charge.id) was not a destination charge: it has no transfer to reverse.",
                param: "reverse_transfer")
        }
        let currency = charge.document["currency"]?.stringValue ?? "usd"
        let now = caller.now
        let refundID = Resource.refund.newID()
        let entry = BalanceEntry(
            account: caller.account, type: .refund, source: refundID, amount: -value, currency: currency,
            created: now, availableOn: now, description: "REFUND FOR CHARGE")
        try await tx.record(entry)
        charge.document["amount_refunded"] = .int(refunded + value)
        charge.document["refunded"] = .bool(refunded + value == amount)
        try await tx.update(charge)
        var refund = StoredObject(
            id: refundID, account: caller.account, kind: .refund, created: now,
            document: [
                "id": .string(refundID), "object": "refund", "amount": .int(value),
                "balance_transaction": .string(entry.id),
                "charge": .string(charge.id), "created": .int(now), "currency": .string(currency),
                "destination_details": [
                    "card": [
                        "reference": .string(Identifiers.random(length: 12)), "reference_status": "available",
                        "reference_type": "acquirer_reference_number", "type": "refund",
                    ],
                    "type": "card",
                ],
                "metadata": JSONValue.object([:]).patched(with: ["metadata": request.metadata])["metadata"] ?? [:],
                "payment_intent": charge.document["payment_intent"] ?? nil, "reason": JSONValue(request.reason),
                "receipt_number": nil, "source_transfer_reversal": nil, "status": JSONValue(RefundStatus.succeeded),
                "customer": charge.document["customer"] ?? nil, "customer_account": nil,
                "payment_method": charge.document["payment_method"] ?? nil, "pending_reason": nil,
                "presentment_details": nil,
                "transfer_reversal": nil,
            ])
        var reversedTo: String?
        if request.reverseTransfer, let transferID,
            var transfer = try await tx.object(transferID, account: caller.account)
        {
            // The account gives back its share of the refund, in proportion to what it was sent.
            let sent = transfer.document["amount"]?.integerValue ?? 0
            let left = sent - (transfer.document["amount_reversed"]?.integerValue ?? 0)
            let share = min(Amounts.rounded(Decimal(value) * Decimal(sent) / Decimal(max(amount, 1))), left)
            if share > 0 {
                let reversal = try await Transfers.reverse(
                    &transfer, amount: share, description: nil, metadata: [:], sourceRefund: refundID, in: tx,
                    caller: caller)
                refund.document["transfer_reversal"] = .string(reversal.id)
                reversedTo = transfer.document["destination"]?.stringValue
            }
        }
        try await tx.insert(refund)

        // A destination charge's fee belongs to the platform that made the charge; a direct
        // charge's to the application that made it through its connection.
        let feeOwner = transferID != nil ? caller.account : caller.application?.account
        if request.refundApplicationFee, let feeID = charge.document["application_fee"]?.stringValue {
            guard let feeOwner, var fee = try await tx.object(feeID, account: feeOwner) else {
                throw JunctionError.invalid(
                    "Only the application that collected the application fee of \(charge.id) can refund it.",
                    param: "refund_application_fee")
            }
            // The fee is refunded in proportion to the charge.
            try await ApplicationFees.refund(&fee, inProportion: value, of: amount, in: tx, caller: caller)
        }
        try await coverNegativeBalance(of: caller.account, currency: currency, source: refundID, in: tx, now: now)
        if let reversedTo {
            try await coverNegativeBalance(of: reversedTo, currency: currency, source: refundID, in: tx, now: now)
        }
        try await tx.emit(.refundCreated, refund.document, caller: caller)
        try await tx.emit(.chargeRefunded, charge.document, caller: caller)
        return refund
    }

    /// F3: a platform carrying the losses covers its account's negative balance.
    static func coverNegativeBalance(
        of accountID: String, currency: String, source: String, in tx: any ObjectTransaction, now: Int
    ) async throws {
        guard let account = try await tx.account(accountID) else { return }
        let total = try await tx.totalBalance(of: accountID)[currency] ?? 0
        let platform = try await PaymentEngine.controllingPlatformAccount(of: account, in: tx)
        if let (onAccount, onPlatform) = Settlement.coverDeficit(
            balance: total, currency: currency, on: account, controllingPlatform: platform, source: source, now: now)
        {
            try await tx.record(onAccount)
            try await tx.record(onPlatform)
        }
    }
}

/// The application fees a platform collected, and their refunds (F2).
public struct ApplicationFees: Sendable {
    let store: any ObjectStore

    public init(store: any ObjectStore) {
        self.store = store
    }

    /// `POST /v1/application_fees/{id}/refunds`: all that is left by default.
    public func refund(_ id: String, amount: Int?, metadata: JSONValue, caller: Caller) async throws -> StoredObject {
        try await store.write { tx in
            var fee = try await tx.require(.applicationFee, id, account: caller.account)
            let remaining =
                (fee.document["amount"]?.integerValue ?? 0) - (fee.document["amount_refunded"]?.integerValue ?? 0)
            let value = amount ?? remaining
            guard remaining > 0 else {
                throw JunctionError.invalid(
                    "Application fee \(id) has already been refunded.", code: "charge_already_refunded")
            }
            guard value <= remaining else {
                throw JunctionError.invalid(
                    "Refund amount (\(value)) is greater than the unrefunded amount of application fee \(id) (\(remaining)).",
                    param: "amount")
            }
            return try await Self.refund(&fee, amount: value, metadata: metadata, in: tx, caller: caller)
        }
    }

    /// Gives back the share of a fee that `part` is of `whole` (a refund of a charge, a reversal
    /// of a transfer), rounded half up, at most what is left of it.
    static func refund(
        _ fee: inout StoredObject, inProportion part: Int, of whole: Int, in tx: any ObjectTransaction, caller: Caller
    ) async throws {
        let feeAmount = fee.document["amount"]?.integerValue ?? 0
        let share = min(
            Amounts.rounded(Decimal(part) * Decimal(feeAmount) / Decimal(max(whole, 1))),
            feeAmount - (fee.document["amount_refunded"]?.integerValue ?? 0))
        if share > 0 { _ = try await refund(&fee, amount: share, metadata: [:], in: tx, caller: caller) }
    }

    /// Gives `amount` of an application fee back: off the platform's balance, onto the account's.
    static func refund(
        _ fee: inout StoredObject, amount: Int, metadata: JSONValue, in tx: any ObjectTransaction, caller: Caller
    ) async throws -> StoredObject {
        let currency = fee.document["currency"]?.stringValue ?? "usd"
        let connected = fee.document["account"]?.stringValue ?? ""
        let now = caller.now
        let refundID = Resource.feeRefund.newID()
        let debit = BalanceEntry(
            account: fee.account, type: .applicationFeeRefund, source: refundID, amount: -amount, currency: currency,
            created: now, availableOn: now, description: "Application fee refund")
        try await tx.record(debit)
        try await tx.record(
            BalanceEntry(
                account: connected, type: .applicationFeeRefund, source: refundID, amount: amount, currency: currency,
                created: now, availableOn: now, description: "Application fee refund from \(fee.id)"))
        let refund = StoredObject(
            id: refundID, account: fee.account, kind: .feeRefund, created: now,
            document: [
                "id": .string(refundID), "object": "fee_refund", "amount": .int(amount),
                "balance_transaction": .string(debit.id),
                "created": .int(now), "currency": .string(currency), "fee": .string(fee.id),
                "metadata": JSONValue.object([:]).patched(with: ["metadata": metadata])["metadata"] ?? [:],
            ])
        try await tx.insert(refund)
        let refunded = (fee.document["amount_refunded"]?.integerValue ?? 0) + amount
        fee.document["amount_refunded"] = .int(refunded)
        fee.document["refunded"] = .bool(refunded == fee.document["amount"]?.integerValue)
        var embedded = fee.document["refunds"]?["data"]?.arrayItems ?? []
        embedded.insert(refund.publicDocument, at: 0)
        fee.document["refunds"] = [
            "object": "list", "data": .array(Array(embedded.prefix(10))), "has_more": .bool(embedded.count > 10),
            "total_count": .int(embedded.count), "url": .string(Resource.feeRefunds(of: fee.id)),
        ]
        try await tx.update(fee)
        try await tx.emit(.applicationFeeRefunded, fee.document, caller: caller, account: fee.account)
        return refund
    }

    /// A refund of the fee `fee` (404 when it belongs to another fee).
    public func refundOf(_ fee: String, _ id: String, account: String) async throws -> StoredObject {
        let refund = try await Objects(store: store).load(.feeRefund, id, account: account)
        guard refund.parent == fee, !refund.deleted else { throw Resource.feeRefund.noSuch(id) }
        return refund
    }

    /// `POST /v1/application_fees/{fee}/refunds/{id}`: metadata only.
    public func updateRefund(_ fee: String, _ id: String, patch: JSONValue, caller: Caller) async throws
        -> StoredObject
    {
        try await store.write { tx in
            try await tx.patch(.feeRefund, id, with: patch, caller: caller) { refund in
                guard refund.parent == fee else { throw Resource.feeRefund.noSuch(id) }
            }
        }
    }
}
