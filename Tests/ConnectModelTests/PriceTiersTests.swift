import Testing

@testable import ConnectModel

/// Tiered prices: Stripe's checks on `tiers[]` and what a quantity costs in each mode.
@Suite("Price tiers")
struct PriceTiersTests {
    static let requested: [JSONValue] = [
        ["up_to": 5, "unit_amount": 1000], ["up_to": 10, "unit_amount": 800, "flat_amount": 500],
        ["up_to": "inf", "unit_amount_decimal": "600.5"],
    ]

    @Test("graduated: each unit at its own tier, each tier reached adds its flat amount; rounded half up")
    func graduated() throws {
        let tiers = try PriceTiers(mode: .graduated, requested: Self.requested)
        #expect(tiers.amount(quantity: 1) == 1000)
        #expect(tiers.amount(quantity: 5) == 5000)
        #expect(tiers.amount(quantity: 6) == 5000 + 800 + 500)
        #expect(tiers.amount(quantity: 11) == 5000 + 4500 + 601)
        #expect(tiers.amount(quantity: 0) == 0)
    }

    @Test("volume: every unit at the tier the quantity reaches")
    func volume() throws {
        let tiers = try PriceTiers(mode: .volume, requested: Self.requested)
        #expect(tiers.amount(quantity: 5) == 5000)
        #expect(tiers.amount(quantity: 6) == 6 * 800 + 500)
        #expect(tiers.amount(quantity: 20) == 12010)
    }

    @Test("a price's stored tiers read back the same; per-unit prices have none")
    func roundTrip() throws {
        let tiers = try PriceTiers(mode: .volume, requested: Self.requested)
        let price: JSONValue = ["billing_scheme": "tiered", "tiers_mode": "volume", "_tiers": tiers.json]
        #expect(PriceTiers(price: price) == tiers)
        #expect(PriceTiers(price: ["billing_scheme": "per_unit", "unit_amount": 5]) == nil)
        #expect(tiers.json.arrayItems?[2]["unit_amount"] == .null)
        #expect(tiers.json.arrayItems?[0]["flat_amount"] == .null)
    }

    @Test("refused: no inf last, inf before the last, up_to not rising, a tier without amounts, both spellings")
    func refused() {
        func param(_ tiers: [JSONValue]) -> String? {
            do {
                _ = try PriceTiers(mode: .graduated, requested: tiers)
                return nil
            } catch { return error.param }
        }
        #expect(param([["up_to": 5, "unit_amount": 1]]) == "tiers[0][up_to]")
        #expect(param([["up_to": "inf", "unit_amount": 1], ["up_to": "inf", "unit_amount": 1]]) == "tiers[0][up_to]")
        #expect(param([["up_to": 5, "unit_amount": 1], ["up_to": 5, "unit_amount": 1]]) == "tiers[1][up_to]")
        #expect(param([["up_to": "inf"]]) == "tiers[0][unit_amount]")
        #expect(param([["up_to": "inf", "flat_amount": 1, "flat_amount_decimal": "1"]]) == "tiers[0][flat_amount]")
        #expect(param([["up_to": "inf", "unit_amount_decimal": "-1"]]) == "tiers[0][unit_amount_decimal]")
        #expect(param([]) == "tiers")
    }
}
