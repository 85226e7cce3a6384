import Testing

@testable import ConnectModel

/// Stripe's API versions and the one versioning layer that renders older shapes.
@Suite("API versions")
struct VersioningTests {
    struct Lookup: VersionLookup {
        var objects: [String: JSONValue] = [:]
        var charges: [JSONValue] = []
        var invoices: [String: String] = [:]
        func children(of parent: String, kind: ObjectKind) async throws -> [JSONValue] {
            kind == .charge ? charges : []
        }
        func object(_ id: String) async throws -> JSONValue? { objects[id] }
        func invoice(paidBy intent: String) async throws -> String? { invoices[intent] }
        func firstPage(of kind: ObjectKind, ownedBy customer: String) async throws -> (
            items: [JSONValue], hasMore: Bool
        ) { ([], false) }
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
        var atV2022 = intent
        atV2022["invoice"] = .null
        #expect(try await Versioning.render(intent, at: .v2022_11_15, lookup: lookup) == atV2022)
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
        #expect(old["plan"] == .null, "a one-time price has no plan")
        #expect(old["type"] == "subscription" && old["amount_excluding_tax"] == .null)
    }

    @Test("basil: before it, a payment intent and its charge name the invoice they pay; plans have aggregate_usage")
    func invoiceLinks() async throws {
        let intent: JSONValue = ["id": "pi_1", "object": "payment_intent", "application_fee_amount": 120]
        let charge: JSONValue = ["id": "ch_1", "object": "charge", "payment_intent": "pi_1"]
        let lookup = Lookup(objects: ["pi_1": intent], invoices: ["pi_1": "in_1"])
        let v2024 = APIVersion(named: "2024-06-20")!
        #expect(try await Versioning.render(intent, at: v2024, lookup: lookup)["invoice"] == "in_1")
        #expect(try await Versioning.render(charge, at: v2024, lookup: lookup)["invoice"] == "in_1")
        #expect(try await Versioning.render(intent, at: .basil, lookup: lookup)["invoice"] == nil)
        let invoice: JSONValue = [
            "id": "in_1", "object": "invoice", "status": "paid", "rendering": ["amount_tax_display": "exclude_tax"],
            "payments": ["data": [["payment": ["payment_intent": "pi_1", "type": "payment_intent"]]]],
        ]
        let old = try await Versioning.render(invoice, at: APIVersion(named: "2023-10-16")!, lookup: lookup)
        #expect(old["application_fee_amount"] == 120 && old["payment_intent"] == "pi_1" && old["paid"] == true)
        #expect(old["rendering_options"] == ["amount_tax_display": "exclude_tax"])
        #expect(old["paid_out_of_band"] == false && old["payments"] == nil)
        let atV2024 = try await Versioning.render(invoice, at: v2024, lookup: lookup)
        #expect(atV2024["rendering_options"] == nil, "renamed rendering in 2024-04-10")
        let plan: JSONValue = ["id": "price_1", "object": "plan", "amount": 700]
        #expect(try await Versioning.render(plan, at: v2024, lookup: lookup)["aggregate_usage"] == .null)
    }
}
