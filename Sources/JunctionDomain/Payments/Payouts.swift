import ConnectModel
import JunctionStorage

/// Payouts (issue 12, point 4): money leaves an account's available balance for one of its
/// external accounts, and the clock moves the payout on: `pending`, then `in_transit` an hour
/// later, then on `arrival_date` `paid`, or `failed` (Stripe's test numbers) with the money
/// back. Each step is one transaction with its balance transactions and events.
public struct Payouts: Sendable {
    let store: any ObjectStore

    public init(store: any ObjectStore) {
        self.store = store
    }

    /// How long a payout stays `pending` (it can be canceled until then).
    public static let pendingFor = 3_600
    /// Standard payouts arrive two days after they are made (midnight UTC of that day).
    public static let standardDays = 2

    public struct Request: Sendable {
        public var amount: Int
        public var currency: String
        public var destination: String?
        public var description: String?
        public var statementDescriptor: String?
        public var metadata: JSONValue

        public init(
            amount: Int, currency: String, destination: String? = nil, description: String? = nil,
            statementDescriptor: String? = nil, metadata: JSONValue = [:]
        ) {
            self.amount = amount
            self.currency = currency
            self.destination = destination
            self.description = description
            self.statementDescriptor = statementDescriptor
            self.metadata = metadata
        }
    }

    /// `POST /v1/payouts` on the acting account.
    public func create(_ request: Request, caller: Caller) async throws -> StoredObject {
        try await store.write { tx in
            // Locks the account: two payouts cannot both spend one balance.
            guard let account = try await tx.account(caller.account) else {
                throw JunctionError.noSuch("account", caller.account)
            }
            return try await Self.payOut(request, from: account, automatic: false, in: tx, caller: caller)
        }
    }

    /// A payout of `request.amount` from `account`'s available balance (manual, or made by the
    /// schedule when `automatic`).
    static func payOut(
        _ request: Request, from account: Account, automatic: Bool, in tx: any ObjectTransaction, caller: Caller
    ) async throws -> StoredObject {
        guard account.payoutsEnabled else {
            throw JunctionError.invalid(
                "Payouts are not enabled for account \(account.id): its requirements are not complete (see requirements.currently_due).",
                code: "payouts_not_allowed")
        }
        let destination: ExternalAccount
        if let id = request.destination {
            guard let found = account.externalAccount(id) else {
                throw JunctionError.noSuch("external account", id, param: "destination")
            }
            destination = found
        } else {
            guard let found = account.defaultDestination(for: request.currency) else {
                throw JunctionError.invalid(
                    "You do not have any external accounts in that currency (\(request.currency)).", param: "currency")
            }
            destination = found
        }
        guard destination.currency == request.currency else {
            throw JunctionError.invalid(
                "The currency of the payout (\(request.currency)) does not match that of \(destination.id) (\(destination.currency)).",
                param: "currency")
        }
        let available = try await tx.availableBalance(of: account.id, now: caller.now)[request.currency] ?? 0
        guard available >= request.amount else {
            throw JunctionError.invalid(
                "You have insufficient funds in your Stripe account for this payout: \(available) \(request.currency) available, \(request.amount) asked.",
                param: "amount", code: "balance_insufficient")
        }
        let now = caller.now
        let id = Resource.payout.newID()
        let debit = BalanceEntry(
            account: account.id, type: .payout, source: id, amount: -request.amount, currency: request.currency,
            created: now, availableOn: now, description: request.description ?? "STRIPE PAYOUT")
        try await tx.record(debit)
        let arrival = (now / 86_400 + Self.standardDays) * 86_400
        let payout = StoredObject(
            id: id, account: account.id, kind: .payout, created: now, dueAt: now + Self.pendingFor,
            document: [
                "id": .string(id), "object": "payout", "amount": .int(request.amount), "application_fee": nil,
                "application_fee_amount": nil, "arrival_date": .int(arrival), "automatic": .bool(automatic),
                "balance_transaction": .string(debit.id), "created": .int(now), "currency": .string(request.currency),
                "description": JSONValue(request.description), "destination": .string(destination.id),
                "failure_balance_transaction": nil, "failure_code": nil, "failure_message": nil, "livemode": false,
                "metadata": JSONValue.object([:]).patched(with: ["metadata": request.metadata])["metadata"] ?? [:],
                "method": "standard", "original_payout": nil, "payout_method": nil,
                "reconciliation_status": "not_applicable", "reversed_by": nil, "source_type": "card",
                "statement_descriptor": JSONValue(request.statementDescriptor),
                "status": JSONValue(PayoutStatus.pending), "trace_id": nil,
                "type": .string(destination.kind.rawValue),
            ])
        try await tx.create(payout, caller: caller)
        return payout
    }

    /// `POST /v1/payouts/{id}/cancel`: only while it is `pending`; the money comes back.
    public func cancel(_ id: String, caller: Caller) async throws -> StoredObject {
        try await store.write { tx in
            var payout = try await tx.require(.payout, id, account: caller.account)
            guard payout.status(PayoutStatus.self) == .pending else {
                throw JunctionError.invalid(
                    "Payout \(id) cannot be canceled: it has a status of \(payout.statusValue ?? ""). Only pending payouts can be canceled.",
                    code: "payout_not_cancelable")
            }
            let before = payout.document
            _ = try await Self.giveBack(&payout, type: .payoutCancel, now: caller.now, in: tx)
            payout.setStatus(PayoutStatus.canceled)
            payout.dueAt = nil
            try await tx.update(payout, emitting: .payoutUpdated, since: before, caller: caller)
            try await tx.emit(.payoutCanceled, payout.document, caller: caller)
            return payout
        }
    }

    /// Automatic payouts (F7): for each run of the account's schedule that the clock has passed
    /// (at most a year's worth at once), the whole balance available at that run, in each
    /// currency it has a default external account for, in one transaction with their events. A
    /// negative balance is debited from the default bank account when
    /// `settings.payouts.debit_negative_balances` is on.
    public func payOutAutomatically(_ accountID: String, now: Int) async throws {
        try await store.write { tx in
            guard var account = try await tx.account(accountID), var run = account.automaticPayoutDue, run <= now
            else { return }
            let currencies = Set(account.payoutDestinations.filter(\.defaultForCurrency).map(\.currency)).sorted()
            var runs = 0
            while run <= now, runs < 366 {
                for currency in currencies {
                    let available = try await tx.availableBalance(of: accountID, now: run)[currency] ?? 0
                    // Made by the clock: no request, no connection.
                    let caller = Caller(account: accountID, request: .none, now: run)
                    if available > 0 {
                        _ = try await Self.payOut(
                            Request(amount: available, currency: currency), from: account, automatic: true, in: tx,
                            caller: caller)
                    } else if available < 0, account.debitsNegativeBalances,
                        let bank = account.defaultDestination(for: currency), bank.kind == .bankAccount
                    {
                        // What the account owes, taken back from the bank account: a payout of a
                        // negative amount, as Stripe shows such a debit (cards cannot be debited).
                        // Pending money on its way covers its part of the deficit first.
                        let owed = max(available, try await tx.totalBalance(of: accountID)[currency] ?? 0)
                        if owed < 0 {
                            _ = try await Self.payOut(
                                Request(amount: owed, currency: currency, destination: bank.id), from: account,
                                automatic: true, in: tx, caller: caller)
                        }
                    }
                }
                account.lastAutomaticPayout = run
                runs += 1
                guard let next = account.payoutSchedule.nextRun(after: run) else { break }
                run = next
            }
            if run <= now { account.lastAutomaticPayout = now }  // a longer jump: the rest is skipped
            try await tx.saveAccount(account)
        }
    }

    /// The payouts the clock must move at `now`.
    public func due(now: Int, limit: Int) async throws -> [StoredObject] {
        try await store.dueObjects(kind: .payout, now: now, limit: limit)
    }

    /// Moves one payout on, if its time has come: `pending` → `in_transit`; `in_transit` on its
    /// arrival date → `paid`, or `failed` when its destination is one of Stripe's failing test
    /// accounts (the money comes back, `failure_code` says why).
    public func advance(_ id: String, account: String, now: Int) async throws {
        try await store.write { tx in
            var payout = try await tx.require(.payout, id, account: account)
            guard let due = payout.dueAt, due <= now else { return }
            let caller = Caller(account: account, request: .none, now: now)
            let before = payout.document
            switch payout.status(PayoutStatus.self) {
            case .pending:
                payout.setStatus(PayoutStatus.inTransit)
                payout.dueAt = max(payout.document["arrival_date"]?.integerValue ?? now, due)
                try await tx.update(payout, emitting: .payoutUpdated, since: before, caller: caller)
            case .inTransit:
                payout.dueAt = nil
                let destination = payout.document["destination"]?.stringValue ?? ""
                let failure = try await tx.account(account)?.externalAccount(destination)?.payoutFailure
                if let failure {
                    let entry = try await Self.giveBack(&payout, type: .payoutFailure, now: now, in: tx)
                    payout.setStatus(PayoutStatus.failed)
                    payout.document["failure_code"] = .string(failure.rawValue)
                    payout.document["failure_message"] = .string(failure.message)
                    payout.document["failure_balance_transaction"] = .string(entry.id)
                    try await tx.update(payout, emitting: .payoutUpdated, since: before, caller: caller)
                    try await tx.emit(.payoutFailed, payout.document, caller: caller)
                } else {
                    payout.setStatus(PayoutStatus.paid)
                    try await tx.update(payout, emitting: .payoutUpdated, since: before, caller: caller)
                    try await tx.emit(.payoutPaid, payout.document, caller: caller)
                }
            default:
                payout.dueAt = nil
                try await tx.update(payout)
            }
        }
    }

    /// The money of a payout that did not leave, back on the balance.
    static func giveBack(
        _ payout: inout StoredObject, type: BalanceTransactionType, now: Int, in tx: any ObjectTransaction
    ) async throws -> BalanceEntry {
        let entry = BalanceEntry(
            account: payout.account, type: type, source: payout.id,
            amount: payout.document["amount"]?.integerValue ?? 0,
            currency: payout.document["currency"]?.stringValue ?? "usd", created: now, availableOn: now,
            description: type == .payoutCancel ? "Payout canceled" : "Payout failure")
        try await tx.record(entry)
        return entry
    }
}
