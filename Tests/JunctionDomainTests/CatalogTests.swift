import ConnectModel
import JunctionDomain
import JunctionStorage
import Testing

/// Products and coupons: ids a client chooses are unique per account.
@Suite("Domain: catalog")
struct CatalogTests {
    @Test("A6: a chosen product id is taken once per account; only a taken id is 'already exists'")
    func productIDsPerAccount() async throws {
        try await DomainFixture.run { fixture in
            let first = try await fixture.connectedAccount()
            let second = try await fixture.connectedAccount()
            let products = Products(store: fixture.store)
            _ = try await products.create(id: "gold", name: "Gold", fields: [:], caller: fixture.caller(on: first.id))
            let taken = await #expect(throws: JunctionError.self) {
                _ = try await products.create(
                    id: "gold", name: "Gold again", fields: [:], caller: fixture.caller(on: first.id))
            }
            #expect(taken?.code == "resource_already_exists")
            #expect(taken?.param == "id")
            let other = try await products.create(
                id: "gold", name: "Their gold", fields: [:], caller: fixture.caller(on: second.id))
            #expect(other.document["name"]?.stringValue == "Their gold")
            let mine = try #require(try await fixture.store.object("gold", account: first.id))
            #expect(mine.document["name"]?.stringValue == "Gold", "the other account's product did not replace it")
        }
    }

    @Test("coupons: Stripe's rules, 8-character ids, per-account codes, and coupon.created (E1)")
    func coupons() async throws {
        try await DomainFixture.run { fixture in
            let account = try await fixture.connectedAccount()
            let caller = fixture.caller(on: account.id)
            let coupons = Coupons(store: fixture.store)
            let generated = try await coupons.create(.init(amountOff: 500, currency: "EUR"), caller: caller)
            #expect(generated.id.count == 8)
            #expect(generated.document["currency"]?.stringValue == "eur")
            #expect(generated.document["duration"]?.stringValue == CouponDuration.once.rawValue)

            let refusals: [(Coupons.Creation, String)] = [
                (.init(), "percent_off"),
                (.init(percentOff: 10, amountOff: 5), "amount_off"),
                (.init(amountOff: 5), "currency"),
                (.init(percentOff: 120), "percent_off"),
                (.init(percentOff: 10, duration: .repeating), "duration_in_months"),
                (.init(percentOff: 10, duration: .forever, durationInMonths: 2), "duration_in_months"),
                (.init(percentOff: 10, redeemBy: caller.now), "redeem_by"),
                (.init(percentOff: 10, maxRedemptions: 0), "max_redemptions"),
            ]
            for (creation, param) in refusals {
                let error = await #expect(throws: JunctionError.self) {
                    _ = try await coupons.create(creation, caller: caller)
                }
                #expect(error?.param == param)
            }
            _ = try await coupons.create(.init(id: "VIP", percentOff: 12.5), caller: caller)
            let taken = await #expect(throws: JunctionError.self) {
                _ = try await coupons.create(.init(id: "VIP", percentOff: 1), caller: caller)
            }
            #expect(taken?.code == "resource_already_exists")
            let listed = try await fixture.store.objects(
                account: account.id, kind: .coupon, filter: ObjectFilter(), page: PageRequest())
            #expect(Set(listed.items.map(\.id)) == [generated.id, "VIP"])
            #expect(try await fixture.eventTypes(on: account.id).filter { $0 == "coupon.created" }.count == 2)
        }
    }

    @Test("a coupon is no longer valid once redeem_by has passed or it was fully redeemed")
    func couponValidity() {
        let coupon: JSONValue = ["redeem_by": 100, "max_redemptions": 2, "times_redeemed": 1, "valid": true]
        #expect(Coupons.current(coupon, now: 99)["valid"] == true)
        #expect(Coupons.current(coupon, now: 100)["valid"] == false)
        var used = coupon
        used["times_redeemed"] = 2
        #expect(Coupons.current(used, now: 50)["valid"] == false)
    }
}
