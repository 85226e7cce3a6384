import ConnectModel
import JunctionDomain
import JunctionStorage
import Testing

/// The payment engine, refunds and application fees, called as controllers call them: no HTTP.
@Suite("Domain: payments, refunds, application fees")
struct PaymentsTests {
    @Test("F1, F2: a direct charge with an application fee settles on both accounts in one transaction")
    func directChargeWithFee() async throws {
        try await DomainFixture.run { fixture in
            let account = try await fixture.connectedAccount()
            let caller = fixture.caller(on: account.id)
            let intent = try await PaymentIntents(store: fixture.store).create(
                .init(
                    amount: 10_000, currency: "usd", paymentMethod: "pm_card_visa", applicationFee: 1_000,
                    confirm: true),
                caller: caller)
            #expect(intent.status(PaymentIntentStatus.self) == .succeeded)
            let chargeID = try #require(intent.document["latest_charge"]?.stringValue)
            let charge = try #require(try await fixture.store.object(chargeID, account: account.id))
            #expect(charge.status(ChargeStatus.self) == .succeeded)

            // F1: the connected account pays the processing fee (fees.payer=account): 2.9 % + 30.
            let entryID = try #require(charge.document["balance_transaction"]?.stringValue)
            let entry = try #require(try await fixture.store.balanceTransaction(entryID, account: account.id))
            #expect(entry.type == .charge)
            #expect(entry.amount == 10_000)
            #expect(entry.fees.contains { $0.type == .stripeFee && $0.amount == 320 })
            #expect(entry.fees.contains { $0.type == .applicationFee && $0.amount == 1_000 })
            #expect(entry.net == 10_000 - 320 - 1_000)

            // F2: the fee is an ApplicationFee on the platform's account, credited to its balance.
            let feeID = try #require(charge.document["application_fee"]?.stringValue)
            let platformAccount = fixture.platform.account.id
            let fee = try #require(try await fixture.store.object(feeID, account: platformAccount))
            #expect(fee.kind == .applicationFee)
            #expect(fee.document["amount"] == 1_000)
            #expect(fee.document["account"]?.stringValue == account.id)
            #expect(try await fixture.store.object(feeID, account: account.id) == nil, "A6: not the account's")
            let credits = try await fixture.store.balanceTransactions(
                account: platformAccount, type: BalanceTransactionType.applicationFee.rawValue, source: nil,
                page: PageRequest())
            #expect(credits.items.map(\.amount) == [1_000])

            // E1: the events of the payment, on the connected account.
            let types = try await fixture.eventTypes(on: account.id)
            #expect(types.contains("payment_intent.created"))
            #expect(types.contains("charge.succeeded"))
            #expect(types.contains("payment_intent.succeeded"))
            #expect(try await fixture.eventTypes(on: platformAccount).contains("application_fee.created"))
        }
    }

    @Test("F2: an application fee needs a connection and cannot exceed the amount")
    func applicationFeeChecks() async throws {
        try await DomainFixture.run { fixture in
            let account = try await fixture.connectedAccount()
            let intents = PaymentIntents(store: fixture.store)
            let asItself = fixture.caller(on: account.id, viaPlatform: false)
            await #expect(throws: JunctionError.self) {
                _ = try await intents.create(
                    .init(amount: 1_000, currency: "usd", applicationFee: 100), caller: asItself)
            }
            let error = await #expect(throws: JunctionError.self) {
                _ = try await intents.create(
                    .init(amount: 1_000, currency: "usd", applicationFee: 1_001), caller: fixture.caller(on: account.id)
                )
            }
            #expect(error?.param == "application_fee_amount")
            #expect(
                try await fixture.store.objects(
                    account: account.id, kind: .paymentIntent, filter: ObjectFilter(), page: PageRequest()
                ).items.isEmpty, "nothing is written when the request is refused")
        }
    }

    @Test("A5: a declined card stores the failed charge and leaves the intent requiring a payment method")
    func declinedCard() async throws {
        try await DomainFixture.run { fixture in
            let account = try await fixture.connectedAccount()
            let error = await #expect(throws: JunctionError.self) {
                _ = try await PaymentIntents(store: fixture.store).create(
                    .init(amount: 2_000, currency: "usd", paymentMethod: "pm_card_chargeDeclined", confirm: true),
                    caller: fixture.caller(on: account.id))
            }
            #expect(error?.kind == .card)
            #expect(error?.code == "card_declined")
            let intents = try await fixture.store.objects(
                account: account.id, kind: .paymentIntent, filter: ObjectFilter(), page: PageRequest())
            let intent = try #require(intents.items.first)
            #expect(intent.status(PaymentIntentStatus.self) == .requiresPaymentMethod)
            let chargeID = try #require(intent.document["latest_charge"]?.stringValue)
            let charge = try #require(try await fixture.store.object(chargeID, account: account.id))
            #expect(charge.status(ChargeStatus.self) == .failed)
            #expect(charge.document["balance_transaction"] == .null, "a failed charge moves no money")
            #expect(try await fixture.eventTypes(on: account.id).contains("payment_intent.payment_failed"))
        }
    }

    @Test("F2, F3: refunds with refund_application_fee return the fee; nothing beyond the charge is refunded")
    func refundWithApplicationFee() async throws {
        try await DomainFixture.run { fixture in
            let account = try await fixture.connectedAccount()
            let caller = fixture.caller(on: account.id)
            let intent = try await PaymentIntents(store: fixture.store).create(
                .init(
                    amount: 5_000, currency: "usd", paymentMethod: "pm_card_visa", applicationFee: 500, confirm: true),
                caller: caller)
            let refunds = Refunds(store: fixture.store)
            let partial = try await refunds.create(
                .init(paymentIntent: intent.id, amount: 2_000, refundApplicationFee: true), caller: caller)
            #expect(partial.status(RefundStatus.self) == .succeeded)
            #expect(partial.document["amount"] == 2_000)

            let tooMuch = await #expect(throws: JunctionError.self) {
                _ = try await refunds.create(.init(paymentIntent: intent.id, amount: 3_001), caller: caller)
            }
            #expect(tooMuch?.kind == .invalidRequest)

            _ = try await refunds.create(.init(paymentIntent: intent.id, refundApplicationFee: true), caller: caller)
            let chargeID = try #require(intent.document["latest_charge"]?.stringValue)
            let charge = try #require(try await fixture.store.object(chargeID, account: account.id))
            #expect(charge.document["refunded"] == true)
            #expect(charge.document["amount_refunded"] == 5_000)
            let feeID = try #require(charge.document["application_fee"]?.stringValue)
            let fee = try #require(try await fixture.store.object(feeID, account: fixture.platform.account.id))
            #expect(fee.document["amount_refunded"] == 500, "the fee is refunded in proportion, all of it in the end")
            #expect(fee.document["refunded"] == true)
        }
    }

    @Test("A6: a refund of another account's charge is a 404, as if it did not exist")
    func refundOfAnotherAccountsCharge() async throws {
        try await DomainFixture.run { fixture in
            let first = try await fixture.connectedAccount()
            let second = try await fixture.connectedAccount()
            let intent = try await PaymentIntents(store: fixture.store).create(
                .init(amount: 1_000, currency: "usd", paymentMethod: "pm_card_visa", confirm: true),
                caller: fixture.caller(on: first.id))
            let chargeID = try #require(intent.document["latest_charge"]?.stringValue)
            let error = await #expect(throws: JunctionError.self) {
                _ = try await Refunds(store: fixture.store).create(
                    .init(charge: chargeID), caller: fixture.caller(on: second.id))
            }
            #expect(error?.kind == .notFound)
            #expect(error?.param == "charge")
        }
    }
}
