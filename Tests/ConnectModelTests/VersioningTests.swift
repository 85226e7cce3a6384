import Testing

@testable import ConnectModel

/// Stripe's API versions and the one versioning layer that renders older shapes.
@Suite("API versions")
struct VersioningTests {
    struct Lookup: VersionLookup {
        var objects: [String: JSONValue] = [:]
        var charges: [JSONValue] = []
        func children(of parent: String, kind: ObjectKind) async throws -> [JSONValue] {
            kind == .charge ? charges : []
        }
        func object(_ id: String) async throws -> JSONValue? { objects[id] }
    }

    @Test("released versions are known by their full name and by date; betas are ignored; others are not")
    func names() {
        #expect(APIVersion(named: "2025-03-31.basil") == .basil)
        #expect(APIVersion(named: "2025-03-31") == .basil)
        #expect(APIVersion(named: "2022-11-15; payment_intent_beta=v3") == .v2022_11_15)
        #expect(APIVersion(named: "2025-03-31.clover") == nil)
        #expect(APIVersion(named: "2021-01-01") == nil)
        #expect(APIVersion(named: "latest") == nil)
        #expect(APIVersion.released == APIVersion.released.sorted())
        #expect(APIVersion.newest.description == "2026-10-28.endive")
    }

    @Test("the newest shape is left alone; an older version undoes each later change, nested objects too")
    func undo() async throws {
        let charge: JSONValue = ["id": "ch_1", "object": "charge", "amount": 500]
        let intent: JSONValue = ["id": "pi_1", "object": "payment_intent", "latest_charge": "ch_1"]
        let lookup = Lookup(charges: [charge])
        #expect(try await Versioning.render(intent, at: .newest, lookup: lookup) == intent)
        #expect(try await Versioning.render(intent, at: .v2022_11_15, lookup: lookup) == intent)
        let list: JSONValue = ["object": "list", "data": [intent]]
        let old = try await Versioning.render(list, at: APIVersion(named: "2022-08-01")!, lookup: lookup)
        let listed = old["data"]?.arrayItems?.first?["charges"]?["data"]?.arrayItems?.first
        #expect(listed?["id"] == "ch_1")
        #expect(listed?["refunds"]?["data"] == [], "the charge inside is rendered at the old version too")
    }

    @Test("basil: a pre-basil line item gets its price object back from pricing")
    func lineItem() async throws {
        let price: JSONValue = ["id": "price_1", "object": "price", "unit_amount": 700]
        let line: JSONValue = [
            "id": "il_1", "object": "line_item",
            "pricing": ["price_details": ["price": "price_1"], "unit_amount_decimal": "700"],
            "parent": ["subscription_item_details": ["subscription": "sub_1", "subscription_item": "si_1"]],
        ]
        let old = try await Versioning.render(
            line, at: APIVersion(named: "2024-06-20")!, lookup: Lookup(objects: ["price_1": price]))
        #expect(old["price"] == price)
        #expect(old["subscription_item"] == "si_1")
        #expect(old["pricing"] == nil && old["parent"] == nil)
    }
}
