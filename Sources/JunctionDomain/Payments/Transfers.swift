import ConnectModel
import Foundation
import JunctionStorage

/// Transfers from a platform to its connected accounts, and their reversals (separate charges
/// and transfers; destination charges make theirs through ``PaymentEngine``). A transfer moves
/// money between two balances in one transaction: a `transfer` entry off the platform, a
/// `payment` entry onto the account, whose `py_` payment records it there.
public struct Transfers: Sendable {
    let store: any ObjectStore

    public init(store: any ObjectStore) {
        self.store = store
    }

    /// What `POST /v1/transfers` asks for.
    public struct Request: Sendable {
        public var amount: Int
        public var currency: String
        public var destination: String
        public var description: String?
        public var sourceTransaction: String?
        public var transferGroup: String?
        public var metadata: JSONValue

        public init(
            amount: Int, currency: String, destination: String, description: String? = nil,
            sourceTransaction: String? = nil, transferGroup: String? = nil, metadata: JSONValue = [:]
        ) {
            self.amount = amount
            self.currency = currency
            self.destination = destination
            self.description = description
            self.sourceTransaction = sourceTransaction
            self.transferGroup = transferGroup
            self.metadata = metadata
        }
    }

    /// Sends `request.amount` from the caller's available balance (or from the funds of
    /// `source_transaction`, available or not) to a connected account whose `transfers`
    /// capability is active. `destination` is checked by the caller (a platform connection).
    public func create(_ request: Request, destination: Account, caller: Caller) async throws -> StoredObject {
        try await store.write { tx in
            // Locks the platform's account row: two transfers cannot both spend the same balance.
            guard try await tx.account(caller.account) != nil else {
                throw JunctionError.noSuch("account", caller.account)
            }
            var availableOn = caller.now
            var source: StoredObject?
            if let chargeID = request.sourceTransaction {
                var charge = try await tx.require(
                    .charge, chargeID, account: caller.account, param: "source_transaction")
                try Self.checkSource(charge, request)
                let transferred = charge.document[PrivateField.transferred]?.integerValue ?? 0
                charge.document[PrivateField.transferred] = .int(transferred + request.amount)
                // The transfer's funds become available with the charge's.
                if let entryID = charge.document["balance_transaction"]?.stringValue,
                    let entry = try await tx.balanceEntry(entryID, account: caller.account)
                {
                    availableOn = max(caller.now, entry.availableOn)
                }
                try await tx.update(charge)
                source = charge
            } else {
                let available =
                    try await tx.availableBalance(of: caller.account, now: caller.now)[request.currency] ?? 0
                guard available >= request.amount else { throw Self.insufficientFunds() }
            }
            return try await Self.send(
                request, to: destination, source: source, availableOn: availableOn, in: tx, caller: caller)
        }
    }

    /// The transfer itself, once its funds are known to be there: the balance entries on both
    /// sides, the `py_` payment on the account, the transfer and `transfer.created`.
    static func send(
        _ request: Request, to destination: Account, source: StoredObject?, availableOn: Int,
        applicationFee: BalanceEntry.FeeDetail? = nil, in tx: any ObjectTransaction, caller: Caller
    ) async throws -> StoredObject {
        try checkCapability(destination)
        let now = caller.now
        let transferID = Resource.transfer.newID()
        let paymentID = Identifiers.make("py")
        let debit = BalanceEntry(
            account: caller.account, type: .transfer, source: transferID, amount: -request.amount,
            currency: request.currency, created: now, availableOn: now, description: request.description)
        // A destination charge's application fee is taken from the payment (F6).
        let credit = BalanceEntry(
            account: destination.id, type: .payment, source: paymentID, amount: request.amount,
            fees: applicationFee.map { [$0] } ?? [], currency: request.currency, created: now,
            availableOn: availableOn, description: nil)
        try await tx.record(debit)
        try await tx.record(credit)
        let payment = StoredObject(
            id: paymentID, account: destination.id, kind: .charge, created: now,
            document: PaymentDocument.new(
                paymentID, amount: request.amount, currency: request.currency, transfer: transferID,
                balanceTransaction: credit.id, transferGroup: request.transferGroup, now: now))
        try await tx.insert(payment)
        let transfer = StoredObject(
            id: transferID, account: caller.account, kind: .transfer, created: now,
            document: [
                "id": .string(transferID), "object": "transfer", "amount": .int(request.amount),
                "amount_reversed": 0, "balance_transaction": .string(debit.id), "created": .int(now),
                "currency": .string(request.currency), "description": JSONValue(request.description),
                "destination": .string(destination.id), "destination_payment": .string(paymentID),
                "livemode": false,
                "metadata": JSONValue.object([:]).patched(with: ["metadata": request.metadata])["metadata"] ?? [:],
                "reversals": [
                    "object": "list", "data": [], "has_more": false, "total_count": 0,
                    "url": .string(Resource.transferReversals(of: transferID)),
                ],
                "reversed": false, "source_transaction": JSONValue(source?.id), "source_type": "card",
                "transfer_group": JSONValue(request.transferGroup),
            ])
        try await tx.create(transfer, caller: caller)
        return transfer
    }

    /// `POST /v1/transfers/{id}/reversals`: all that is left by default. The account gives the
    /// money back from its balance, which must hold it (Stripe's rule for transfers that are not
    /// a destination charge's).
    public func reverse(
        _ id: String, amount: Int?, description: String?, metadata: JSONValue, refundApplicationFee: Bool = false,
        caller: Caller
    ) async throws -> StoredObject {
        try await store.write { tx in
            var transfer = try await tx.require(.transfer, id, account: caller.account)
            let currency = transfer.document["currency"]?.stringValue ?? "usd"
            let remaining =
                (transfer.document["amount"]?.integerValue ?? 0)
                - (transfer.document["amount_reversed"]?.integerValue ?? 0)
            let value = amount ?? remaining
            guard remaining > 0 else {
                throw JunctionError.invalid(
                    "Transfer \(id) has already been fully reversed.", code: "transfer_already_reversed")
            }
            guard value <= remaining else {
                throw JunctionError.invalid(
                    "The amount to reverse (\(value)) is greater than the amount left on transfer \(id) (\(remaining)).",
                    param: "amount")
            }
            let destination = transfer.document["destination"]?.stringValue ?? ""
            guard try await tx.account(destination) != nil else { throw JunctionError.noSuch("account", destination) }
            // A destination charge's transfer may be reversed up to the charge, whatever the
            // account holds (F3 then covers a deficit); any other only while the account's
            // balance covers it.
            var charge: StoredObject?
            if let source = transfer.document["source_transaction"]?.stringValue,
                let found = try await tx.object(source, account: caller.account),
                found.document["transfer"]?.stringValue == transfer.id
            {
                charge = found
            }
            if charge == nil {
                let held = try await tx.totalBalance(of: destination)[currency] ?? 0
                guard held >= value else {
                    throw JunctionError.invalid(
                        "The destination account \(destination) does not have enough balance (\(held)) to cover this reversal of \(value).",
                        code: "balance_insufficient")
                }
            }
            let reversal = try await Self.reverse(
                &transfer, amount: value, description: description, metadata: metadata, sourceRefund: nil, in: tx,
                caller: caller)
            if refundApplicationFee, let charge, let feeID = charge.document["application_fee"]?.stringValue,
                var fee = try await tx.object(feeID, account: caller.account)
            {
                // The fee comes back in proportion to what was reversed.
                try await ApplicationFees.refund(
                    &fee, inProportion: value, of: transfer.document["amount"]?.integerValue ?? 0, in: tx,
                    caller: caller)
            }
            try await Refunds.coverNegativeBalance(
                of: destination, currency: currency, source: reversal.id, in: tx, now: caller.now)
            return reversal
        }
    }

    /// Gives `amount` of a transfer back: off the account (a `payment_refund` of its `py_`
    /// payment), onto the platform (`transfer_refund`).
    @discardableResult
    static func reverse(
        _ transfer: inout StoredObject, amount: Int, description: String?, metadata: JSONValue, sourceRefund: String?,
        in tx: any ObjectTransaction, caller: Caller
    ) async throws -> StoredObject {
        let now = caller.now
        let currency = transfer.document["currency"]?.stringValue ?? "usd"
        let destination = transfer.document["destination"]?.stringValue ?? ""
        let reversalID = Resource.transferReversal.newID()
        let paymentRefundID = Identifiers.make("pyr")
        let credit = BalanceEntry(
            account: transfer.account, type: .transferRefund, source: reversalID, amount: amount, currency: currency,
            created: now, availableOn: now, description: description)
        let debit = BalanceEntry(
            account: destination, type: .paymentRefund, source: paymentRefundID, amount: -amount, currency: currency,
            created: now, availableOn: now, description: "REFUND FOR PAYMENT")
        try await tx.record(credit)
        try await tx.record(debit)
        if let paymentID = transfer.document["destination_payment"]?.stringValue,
            var payment = try await tx.object(paymentID, account: destination)
        {
            let refunded = (payment.document["amount_refunded"]?.integerValue ?? 0) + amount
            payment.document["amount_refunded"] = .int(refunded)
            payment.document["refunded"] = .bool(refunded >= (payment.document["amount"]?.integerValue ?? 0))
            try await tx.update(payment)
            try await tx.insert(
                StoredObject(
                    id: paymentRefundID, account: destination, kind: .refund, created: now,
                    document: [
                        "id": .string(paymentRefundID), "object": "refund", "amount": .int(amount),
                        "balance_transaction": .string(debit.id), "charge": .string(paymentID),
                        "created": .int(now), "currency": .string(currency), "metadata": [:],
                        "payment_intent": nil, "reason": nil, "receipt_number": nil,
                        "source_transfer_reversal": .string(reversalID), "status": JSONValue(RefundStatus.succeeded),
                        "transfer_reversal": nil,
                    ]))
        }
        let reversal = StoredObject(
            id: reversalID, account: transfer.account, kind: .transferReversal, created: now,
            document: [
                "id": .string(reversalID), "object": "transfer_reversal", "amount": .int(amount),
                "balance_transaction": .string(credit.id), "created": .int(now), "currency": .string(currency),
                "destination_payment_refund": .string(paymentRefundID),
                "metadata": JSONValue.object([:]).patched(with: ["metadata": metadata])["metadata"] ?? [:],
                "source_refund": JSONValue(sourceRefund), "transfer": .string(transfer.id),
            ])
        try await tx.insert(reversal)
        let before = transfer.document
        let reversed = (transfer.document["amount_reversed"]?.integerValue ?? 0) + amount
        transfer.document["amount_reversed"] = .int(reversed)
        transfer.document["reversed"] = .bool(reversed >= (transfer.document["amount"]?.integerValue ?? 0))
        var embedded = transfer.document["reversals"]?["data"]?.arrayItems ?? []
        embedded.insert(reversal.publicDocument, at: 0)
        transfer.document["reversals"] = [
            "object": "list", "data": .array(Array(embedded.prefix(10))), "has_more": .bool(embedded.count > 10),
            "total_count": .int(embedded.count), "url": .string(Resource.transferReversals(of: transfer.id)),
        ]
        try await tx.update(transfer, emitting: .transferReversed, since: before, caller: caller)
        return reversal
    }

    /// A reversal of the transfer `transfer` (404 when it belongs to another one).
    public func reversalOf(_ transfer: String, _ id: String, account: String) async throws -> StoredObject {
        let reversal = try await Objects(store: store).load(.transferReversal, id, account: account)
        guard reversal.parent == transfer else { throw Resource.transferReversal.noSuch(id) }
        return reversal
    }

    /// `POST /v1/transfers/{transfer}/reversals/{id}`: metadata only.
    public func updateReversal(_ transfer: String, _ id: String, patch: JSONValue, caller: Caller) async throws
        -> StoredObject
    {
        try await store.write { tx in
            try await tx.patch(.transferReversal, id, with: patch, caller: caller) { reversal in
                guard reversal.parent == transfer else { throw Resource.transferReversal.noSuch(id) }
            }
        }
    }

    /// Stripe's `balance_insufficient` for a transfer beyond the available balance.
    static func insufficientFunds() -> JunctionError {
        .invalid(
            "You have insufficient available funds in your Stripe account. Try adding funds directly to your available balance by creating Charges using the 4000000000000077 test card. See: https://stripe.com/docs/testing#available-balance",
            code: "balance_insufficient")
    }

    /// Money goes only to accounts whose `transfers` capability is active (issue 12, point 6).
    static func checkCapability(_ destination: Account, param: String = "destination") throws(JunctionError) {
        guard destination.capabilityStatus("transfers") == .active else {
            throw .invalid(
                "Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments",
                param: param, code: "insufficient_capabilities_for_transfer")
        }
    }

    /// A `source_transaction` is a succeeded charge of the platform, in the transfer's currency,
    /// with at least the amount left that has not been refunded or transferred already.
    static func checkSource(_ charge: StoredObject, _ request: Request) throws(JunctionError) {
        guard charge.status(ChargeStatus.self) == .succeeded, charge.document["captured"] == true else {
            throw .invalid(
                "The source_transaction \(charge.id) has not succeeded; only a captured charge can fund a transfer.",
                param: "source_transaction")
        }
        guard charge.document["currency"]?.stringValue == request.currency else {
            throw .invalid(
                "The currency of source_transaction \(charge.id) (\(charge.document["currency"]?.stringValue ?? "")) does not match the transfer's (\(request.currency)).",
                param: "currency")
        }
        let left =
            (charge.document["amount"]?.integerValue ?? 0) - (charge.document["amount_refunded"]?.integerValue ?? 0)
            - (charge.document[PrivateField.transferred]?.integerValue ?? 0)
        guard request.amount <= left else {
            throw .invalid(
                "Insufficient funds in source_transaction \(charge.id): \(left) left to transfer, \(request.amount) asked.",
                param: "amount", code: "balance_insufficient")
        }
    }
}

/// The Stripe JSON of the payment (`py_…`) a transfer makes on the account that receives it:
/// a charge object whose `source_transfer` is the transfer.
enum PaymentDocument {
    static func new(
        _ id: String, amount: Int, currency: String, transfer: String, balanceTransaction: String,
        transferGroup: String?, now: Int
    ) -> JSONValue {
        [
            "id": .string(id), "object": "charge", "amount": .int(amount), "amount_captured": .int(amount),
            "amount_refunded": 0, "application": nil, "application_fee": nil, "application_fee_amount": nil,
            "balance_transaction": .string(balanceTransaction), "billing_details": nil,
            "calculated_statement_descriptor": nil, "captured": true, "created": .int(now),
            "currency": .string(currency), "customer": nil, "description": nil, "disputed": false,
            "failure_balance_transaction": nil, "failure_code": nil, "failure_message": nil, "fraud_details": [:],
            "livemode": false, "metadata": [:], "on_behalf_of": nil, "outcome": nil, "paid": true,
            "payment_intent": nil, "payment_method": nil, "payment_method_details": ["type": "stripe_account"],
            "receipt_email": nil, "receipt_number": nil, "receipt_url": nil, "refunded": false, "review": nil,
            "shipping": nil, "source": nil, "source_transfer": .string(transfer), "statement_descriptor": nil,
            "statement_descriptor_suffix": nil, "status": JSONValue(ChargeStatus.succeeded), "transfer_data": nil,
            "transfer_group": JSONValue(transferGroup), "authorization_code": nil, "level3": nil,
            "presentment_details": nil,
        ]
    }
}
