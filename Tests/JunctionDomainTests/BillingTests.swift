import ConnectModel
import JunctionDomain
import JunctionStorage
import Testing

/// Subscriptions and their renewals as Junction's clock passes each period end: no HTTP, no worker.
@Suite("Domain: subscriptions and renewals")
struct BillingTests {
    /// A monthly price of 20.00 USD and a customer on `account`.
    static func priceAndCustomer(_ fixture: DomainFixture, on account: String) async throws -> (String, String) {
        let caller = fixture.caller(on: account)
        let price = try await Prices(store: fixture.store).create(
            .init(currency: "usd", unitAmount: 2_000, productData: ["name": "Pro"], recurring: ["interval": "month"]),
            caller: caller)
        let customer = try await Customers(store: fixture.store).create(
            fields: ["email": "buyer@example.com"], paymentMethod: nil, caller: caller)
        return (price.id, customer.id)
    }

    @Test("F2, E1: the first invoice is paid at once, and each renewal bills again with the application fee")
    func renewalBillsEachPeriod() async throws {
        try await DomainFixture.run { fixture in
            let account = try await fixture.connectedAccount()
            let (price, customer) = try await Self.priceAndCustomer(fixture, on: account.id)
            let subscriptions = Subscriptions(store: fixture.store)
            let created = try await subscriptions.create(
                .init(
                    customer: customer, items: [(price, 2)], defaultPaymentMethod: "pm_card_visa",
                    applicationFeePercent: 10),
                caller: fixture.caller(on: account.id))
            #expect(created.status(SubscriptionStatus.self) == .active)
            let firstInvoiceID = try #require(created.document["latest_invoice"]?.stringValue)
            let firstInvoice = try #require(try await fixture.store.object(firstInvoiceID, account: account.id))
            #expect(firstInvoice.status(InvoiceStatus.self) == .paid)
            #expect(firstInvoice.document["amount_paid"] == 4_000)
            let periodEnd = try #require(created.dueAt)

            // Nothing is due before the period ends.
            #expect(try await subscriptions.due(now: periodEnd - 1, limit: 10).isEmpty)
            #expect(try await subscriptions.due(now: periodEnd, limit: 10).map(\.id) == [created.id])
            try await subscriptions.renew(created.id, account: account.id, now: periodEnd)

            let renewed = try #require(try await fixture.store.object(created.id, account: account.id))
            #expect(renewed.status(SubscriptionStatus.self) == .active)
            #expect(renewed.dueAt.map { $0 > periodEnd } == true, "the next period is scheduled")
            let invoiceID = try #require(renewed.document["latest_invoice"]?.stringValue)
            #expect(invoiceID != firstInvoiceID)
            let invoice = try #require(try await fixture.store.object(invoiceID, account: account.id))
            #expect(invoice.document["billing_reason"]?.stringValue == BillingReason.subscriptionCycle.rawValue)
            #expect(invoice.status(InvoiceStatus.self) == .paid)
            #expect(invoice.document["period_start"]?.integerValue == periodEnd)

            // The platform that created the subscription collects 10 % of both invoices.
            let fees = try await fixture.store.objects(
                account: fixture.platform.account.id, kind: .applicationFee, filter: ObjectFilter(), page: PageRequest()
            )
            #expect(fees.items.map { $0.document["amount"] } == [400, 400])

            // A second renewal at the same time does nothing: the period already moved on.
            try await subscriptions.renew(created.id, account: account.id, now: periodEnd)
            let invoices = try await fixture.store.objects(
                account: account.id, kind: .invoice, filter: ObjectFilter(), page: PageRequest())
            #expect(invoices.items.count == 2)
            let types = try await fixture.eventTypes(on: account.id)
            #expect(types.filter { $0 == "invoice.paid" }.count == 2)
            #expect(types.contains("customer.subscription.updated"))
        }
    }

    @Test("A5: a subscription whose first payment fails is incomplete, and expires after 23 hours")
    func incompleteExpires() async throws {
        try await DomainFixture.run { fixture in
            let account = try await fixture.connectedAccount()
            let (price, customer) = try await Self.priceAndCustomer(fixture, on: account.id)
            let subscriptions = Subscriptions(store: fixture.store)
            let now = fixture.clock.now()
            let created = try await subscriptions.create(
                .init(customer: customer, items: [(price, 1)], defaultPaymentMethod: "pm_card_chargeCustomerFail"),
                caller: fixture.caller(on: account.id, at: now))
            #expect(created.status(SubscriptionStatus.self) == .incomplete)
            #expect(created.dueAt == now + Subscriptions.incompleteExpiry)
            let invoiceID = try #require(created.document["latest_invoice"]?.stringValue)
            let invoice = try #require(try await fixture.store.object(invoiceID, account: account.id))
            #expect(invoice.status(InvoiceStatus.self) == .open)
            #expect(invoice.document["attempted"] == true)

            try await subscriptions.renew(created.id, account: account.id, now: now + Subscriptions.incompleteExpiry)
            let expired = try #require(try await fixture.store.object(created.id, account: account.id))
            #expect(expired.status(SubscriptionStatus.self) == .incompleteExpired)
            #expect(expired.dueAt == nil, "nothing more is scheduled")
        }
    }

    @Test("a subscription needs active recurring prices of one currency")
    func recurringPricesOnly() async throws {
        try await DomainFixture.run { fixture in
            let account = try await fixture.connectedAccount()
            let caller = fixture.caller(on: account.id)
            let (_, customer) = try await Self.priceAndCustomer(fixture, on: account.id)
            let oneOff = try await Prices(store: fixture.store).create(
                .init(currency: "usd", unitAmount: 500, productData: ["name": "Once"]), caller: caller)
            let error = await #expect(throws: JunctionError.self) {
                _ = try await Subscriptions(store: fixture.store).create(
                    .init(customer: customer, items: [(oneOff.id, 1)], defaultPaymentMethod: "pm_card_visa"),
                    caller: caller)
            }
            #expect(error?.param == "items[0][price]")
            #expect(
                try await fixture.store.objects(
                    account: account.id, kind: .subscription, filter: ObjectFilter(), page: PageRequest()
                ).items.isEmpty)
        }
    }
}
