import ConnectModel
import Hummingbird
import JunctionStorage
import StripeForm

/// Refunds of charges on the acting account (A5, F2, F3), and the application fees a platform
/// collected, with their refunds.
struct RefundController: Sendable {
    let services: JunctionServices

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(services: services)
        endpoint.add(.post, "/v1/refunds", to: router, Self.create, create)
        endpoint.add(
            .get, "/v1/refunds", to: router,
            ObjectParams.list(["charge": ParamSpec(.string), "payment_intent": ParamSpec(.string)]), list)
        endpoint.add(.get, "/v1/refunds/:id", to: router, ObjectParams.expandOnly, retrieve)
        endpoint.add(.post, "/v1/refunds/:id", to: router, Self.update, update)
        endpoint.add(.post, "/v1/refunds/:id/cancel", to: router, ObjectParams.expandOnly, cancel)
        endpoint.add(
            .get, "/v1/application_fees", to: router, ObjectParams.list(["charge": ParamSpec(.string)]), listFees)
        endpoint.add(.get, "/v1/application_fees/:id", to: router, ObjectParams.expandOnly, retrieveFee)
        endpoint.add(.post, "/v1/application_fees/:id/refunds", to: router, Self.feeRefund, refundFee)
        endpoint.add(.get, "/v1/application_fees/:id/refunds", to: router, ObjectParams.list(), listFeeRefunds)
        endpoint.add(
            .get, "/v1/application_fees/:id/refunds/:refund", to: router, ObjectParams.expandOnly, retrieveFeeRefund)
        endpoint.add(.post, "/v1/application_fees/:id/refunds/:refund", to: router, Self.update, updateFeeRefund)
    }

    static let create = ParamSchema([
        "charge": ParamSpec(.string),
        "payment_intent": ParamSpec(.string),
        "amount": ParamSpec(.integer(min: 1)),
        "reason": ParamSpec(.enumeration(["duplicate", "fraudulent", "requested_by_customer"])),
        "refund_application_fee": ParamSpec(.boolean),
        "reverse_transfer": ParamSpec(.boolean),
        "metadata": ParamSpec(.metadata, unsettable: true),
        "expand": ParamSchema.expand,
    ])
    static let update = ParamSchema(["metadata": ParamSpec(.metadata, unsettable: true), "expand": ParamSchema.expand])
    static let feeRefund = ParamSchema([
        "amount": ParamSpec(.integer(min: 1)), "metadata": ParamSpec(.metadata, unsettable: true),
        "expand": ParamSchema.expand,
    ])

    // MARK: Refunds

    @Sendable func create(_ call: APICall) async throws -> APIResult {
        let context = Payments.context(call, now: services.clock.now())
        let params = call.params
        let chargeID = params["charge"]?.string
        let intentID = params["payment_intent"]?.string
        guard (chargeID == nil) != (intentID == nil) else {
            throw ConnectError.invalid(
                "Specify exactly one of charge or payment_intent.", param: chargeID == nil ? "charge" : "payment_intent"
            )
        }
        let store = services.store
        let refund = try await store.write { tx in
            var charge: StoredObject
            if let chargeID {
                guard let found = try await tx.object(chargeID, account: context.account), found.type == "charge" else {
                    throw ConnectError.noSuch("charge", chargeID, param: "charge")
                }
                charge = found
            } else {
                guard let intent = try await tx.object(intentID!, account: context.account),
                    intent.type == "payment_intent",
                    let latest = intent.document["latest_charge"]?.stringValue,
                    let found = try await tx.object(latest, account: context.account)
                else { throw ConnectError.noSuch("payment_intent", intentID!, param: "payment_intent") }
                charge = found
            }
            return try await refundCharge(
                &charge, amount: params["amount"]?.integer, reason: params["reason"]?.string,
                refundApplicationFee: params["refund_application_fee"]?.boolean == true,
                metadata: params["metadata"].map(AccountParams.json) ?? [:], in: tx, context: context)
        }
        return APIResult(body: refund.publicDocument)
    }

    /// Refunds `amount` (all that is left by default) of a captured charge.
    private func refundCharge(
        _ charge: inout StoredObject, amount requested: Int?, reason: String?, refundApplicationFee: Bool,
        metadata: JSONValue, in tx: any ObjectTransaction, context: Payments.Context
    ) async throws -> StoredObject {
        guard charge.document["status"] == "succeeded", charge.document["captured"] == true else {
            throw ConnectError.invalid(
                "Charge \(charge.id) cannot be refunded: it \(charge.document["status"] == "failed" ? "failed" : "has not been captured; cancel its PaymentIntent instead").",
                code: "charge_not_refundable")
        }
        let amount = charge.document["amount"]?.integer ?? 0
        let refunded = charge.document["amount_refunded"]?.integer ?? 0
        let refundable = amount - refunded
        let value = requested ?? refundable
        guard refundable > 0 else {
            throw ConnectError.invalid(
                "Charge \(charge.id) has already been refunded.", code: "charge_already_refunded")
        }
        guard value <= refundable else {
            throw ConnectError.invalid(
                "Refund amount (\(value)) is greater than the unrefunded amount on charge \(charge.id) (\(refundable)).",
                param: "amount", code: "amount_too_large")
        }
        let currency = charge.document["currency"]?.stringValue ?? "usd"
        let now = context.now
        let refundID = Identifiers.make("re")
        let entry = BalanceEntry(
            account: context.account, type: "refund", source: refundID, amount: -value, currency: currency,
            created: now,
            availableOn: now, description: "REFUND FOR CHARGE")
        try await tx.record(entry)
        charge.document["amount_refunded"] = .int(refunded + value)
        charge.document["refunded"] = .bool(refunded + value == amount)
        try await tx.update(charge)
        let refund = StoredObject(
            id: refundID, account: context.account, type: "refund", customer: charge.customer, parent: charge.id,
            lookup: charge.document["payment_intent"]?.stringValue, created: now,
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
                "metadata": JSONValue.object([:]).patched(with: ["metadata": metadata])["metadata"] ?? [:],
                "payment_intent": charge.document["payment_intent"] ?? nil, "reason": JSONValue(reason),
                "receipt_number": nil, "source_transfer_reversal": nil, "status": "succeeded", "transfer_reversal": nil,
            ])
        try await tx.insert(refund)

        if refundApplicationFee, let feeID = charge.document["application_fee"]?.stringValue {
            guard let application = context.application,
                let feeObject = try await tx.object(feeID, account: application.account)
            else {
                throw ConnectError.invalid(
                    "Only the application that collected the application fee of \(charge.id) can refund it.",
                    param: "refund_application_fee")
            }
            let feeAmount = feeObject.document["amount"]?.integer ?? 0
            let share = min(
                (value * feeAmount + amount / 2) / max(amount, 1),
                feeAmount - (feeObject.document["amount_refunded"]?.integer ?? 0))
            if share > 0 {
                var fee = feeObject
                _ = try await Self.refundFee(
                    &fee, amount: share, metadata: [:], in: tx, now: now, request: context.request)
            }
        }
        try await coverNegativeBalance(of: context.account, currency: currency, source: refundID, in: tx, now: now)
        try await tx.emit(
            Event(
                type: "refund.created", account: context.account, created: now, object: refund.publicDocument,
                request: context.request))
        try await tx.emit(
            Event(
                type: "charge.refunded", account: context.account, created: now, object: charge.publicDocument,
                request: context.request))
        return refund
    }

    /// F3: a platform carrying the losses covers its account's negative balance.
    private func coverNegativeBalance(
        of accountID: String, currency: String, source: String, in tx: any ObjectTransaction, now: Int
    )
        async throws
    {
        guard let account = try await tx.account(accountID) else { return }
        let total = try await tx.totalBalance(of: accountID)[currency] ?? 0
        var platformAccount: String?
        if let controller = account.controllingApplication {
            platformAccount = try await tx.application(controller)?.account
        }
        if let (onAccount, onPlatform) = Settlement.coverDeficit(
            balance: total, currency: currency, on: account, controllingPlatform: platformAccount, source: source,
            now: now)
        {
            try await tx.record(onAccount)
            try await tx.record(onPlatform)
        }
    }

    @Sendable func list(_ call: APICall) async throws -> APIResult {
        try await services.listObjects(
            call, type: "refund", url: "/v1/refunds",
            filter: ObjectFilter(parent: call.params["charge"]?.string, lookup: call.params["payment_intent"]?.string))
    }

    @Sendable func retrieve(_ call: APICall) async throws -> APIResult {
        try await services.retrieveObject(call, type: "refund", noun: "refund")
    }

    @Sendable func update(_ call: APICall) async throws -> APIResult {
        try await services.updateObject(call, type: "refund", noun: "refund", event: "refund.updated")
    }

    @Sendable func cancel(_ call: APICall) async throws -> APIResult {
        let refund = try await services.loadObject(
            try call.context.parameters.require("id"), type: "refund", noun: "refund", account: call.actingAccount)
        throw ConnectError.invalid(
            "Refund \(refund.id) cannot be canceled because it has a status of succeeded. Only refunds with a status of requires_action can be canceled.",
            code: "refund_not_cancelable")
    }

    // MARK: Application fees

    @Sendable func listFees(_ call: APICall) async throws -> APIResult {
        try await services.listObjects(
            call, type: "application_fee", url: "/v1/application_fees",
            filter: ObjectFilter(parent: call.params["charge"]?.string))
    }

    @Sendable func retrieveFee(_ call: APICall) async throws -> APIResult {
        try await services.retrieveObject(call, type: "application_fee", noun: "application fee")
    }

    @Sendable func refundFee(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let account = call.actingAccount
        let now = services.clock.now()
        let amount = call.params["amount"]?.integer
        let metadata = call.params["metadata"].map(AccountParams.json) ?? [:]
        let request = call.requestInfo
        let refund = try await services.store.write { tx in
            var fee = try await tx.require(id, type: "application_fee", noun: "application fee", account: account)
            let remaining = (fee.document["amount"]?.integer ?? 0) - (fee.document["amount_refunded"]?.integer ?? 0)
            let value = amount ?? remaining
            guard remaining > 0 else {
                throw ConnectError.invalid(
                    "Application fee \(id) has already been refunded.", code: "charge_already_refunded")
            }
            guard value <= remaining else {
                throw ConnectError.invalid(
                    "Refund amount (\(value)) is greater than the unrefunded amount of application fee \(id) (\(remaining)).",
                    param: "amount")
            }
            return try await Self.refundFee(&fee, amount: value, metadata: metadata, in: tx, now: now, request: request)
        }
        return APIResult(body: refund.publicDocument)
    }

    /// Gives `amount` of an application fee back: off the platform's balance, onto the account's.
    static func refundFee(
        _ fee: inout StoredObject, amount: Int, metadata: JSONValue, in tx: any ObjectTransaction, now: Int,
        request: RequestInfo
    ) async throws -> StoredObject {
        let currency = fee.document["currency"]?.stringValue ?? "usd"
        let connected = fee.document["account"]?.stringValue ?? ""
        let refundID = Identifiers.make("fr")
        let debit = BalanceEntry(
            account: fee.account, type: "application_fee_refund", source: refundID, amount: -amount, currency: currency,
            created: now, availableOn: now, description: "Application fee refund")
        try await tx.record(debit)
        try await tx.record(
            BalanceEntry(
                account: connected, type: "application_fee_refund", source: refundID, amount: amount,
                currency: currency,
                created: now, availableOn: now, description: "Application fee refund from \(fee.id)"))
        let refund = StoredObject(
            id: refundID, account: fee.account, type: "fee_refund", parent: fee.id, created: now,
            document: [
                "id": .string(refundID), "object": "fee_refund", "amount": .int(amount),
                "balance_transaction": .string(debit.id),
                "created": .int(now), "currency": .string(currency), "fee": .string(fee.id),
                "metadata": JSONValue.object([:]).patched(with: ["metadata": metadata])["metadata"] ?? [:],
            ])
        try await tx.insert(refund)
        let refunded = (fee.document["amount_refunded"]?.integer ?? 0) + amount
        fee.document["amount_refunded"] = .int(refunded)
        fee.document["refunded"] = .bool(refunded == fee.document["amount"]?.integer)
        var embedded = fee.document["refunds"]?["data"]?.arrayItems ?? []
        embedded.insert(refund.publicDocument, at: 0)
        fee.document["refunds"] = [
            "object": "list", "data": .array(Array(embedded.prefix(10))), "has_more": .bool(embedded.count > 10),
            "total_count": .int(embedded.count), "url": .string("/v1/application_fees/\(fee.id)/refunds"),
        ]
        try await tx.update(fee)
        try await tx.emit(
            Event(
                type: "application_fee.refunded", account: fee.account, created: now, object: fee.publicDocument,
                request: request))
        return refund
    }

    @Sendable func listFeeRefunds(_ call: APICall) async throws -> APIResult {
        let fee = try await services.loadObject(
            try call.context.parameters.require("id"), type: "application_fee", noun: "application fee",
            account: call.actingAccount)
        return try await services.listObjects(
            call, type: "fee_refund", url: "/v1/application_fees/\(fee.id)/refunds",
            filter: ObjectFilter(parent: fee.id))
    }

    @Sendable func retrieveFeeRefund(_ call: APICall) async throws -> APIResult {
        let refund = try await services.loadObject(
            try call.context.parameters.require("refund"), type: "fee_refund", noun: "fee refund",
            account: call.actingAccount)
        guard refund.parent == (try call.context.parameters.require("id")) else {
            throw ConnectError.noSuch("fee refund", refund.id)
        }
        return APIResult(body: refund.publicDocument)
    }

    @Sendable func updateFeeRefund(_ call: APICall) async throws -> APIResult {
        let feeID = try call.context.parameters.require("id")
        let id = try call.context.parameters.require("refund")
        let context = Payments.context(call, now: services.clock.now())
        let patch = ObjectParams.patch(call.params)
        let refund = try await services.store.write { tx in
            try await tx.patch(
                id, type: "fee_refund", noun: "fee refund", account: context.account, with: patch, event: nil,
                now: context.now,
                request: context.request
            ) { refund in
                guard refund.parent == feeID else { throw ConnectError.noSuch("fee refund", id) }
            }
        }
        return APIResult(body: refund.publicDocument)
    }

}
