import Testing

@testable import ConnectModel

@Suite("Accounts: creation, visibility and platform controls")
struct AccountTests {
    func make(_ request: AccountCreateRequest, platform: String? = "ca_p") throws(JunctionError) -> Account {
        try Account.create(request, id: "acct_1", platform: platform, now: 1_700_000_000)
    }

    /// The refusal of `request`, or `nil` when it was accepted.
    func refusal(_ request: AccountCreateRequest) -> JunctionError? {
        do {
            _ = try make(request)
            return nil
        } catch { return error }
    }

    @Test("C7: no-dashboard accounts need a country and a requested capability; card_payments needs transfers")
    func noDashboard() throws {
        var request = AccountCreateRequest(type: .custom)
        #expect(refusal(request)?.param == "country")
        request.country = "US"
        #expect(refusal(request)?.param == "capabilities")
        request.capabilities = ["card_payments": true]
        #expect(refusal(request)?.param == "capabilities[transfers]")
        request.capabilities["transfers"] = true
        let account = try make(request)
        #expect(account.type == .custom && account.controller.feesPayer == .applicationCustom)
    }

    @Test("C8: is_controller and requirement_collection are shown only to the controlling platform")
    func controllerVisibility() throws {
        let account = try make(AccountCreateRequest())
        let mine = account.rendered(for: .controllingPlatform)["controller"]
        #expect(mine?["is_controller"] == true)
        #expect(mine?["requirement_collection"] == "stripe")
        #expect(mine?["type"] == "application")
        for relation in [AccountRelation.owner, .connectedPlatform, .connectedExtension] {
            let theirs = account.rendered(for: relation)["controller"]
            #expect(theirs?["is_controller"] == nil && theirs?["requirement_collection"] == nil)
        }
        let direct = try make(AccountCreateRequest(), platform: nil)
        #expect(direct.rendered(for: .owner)["controller"]?["type"] == "account")
    }

    @Test("P10: the controller changes anything, a connected platform metadata only, an extension nothing")
    func platformControls() throws {
        var account = try make(AccountCreateRequest())
        let settings = AccountUpdateRequest(settings: ["payouts": ["schedule": ["interval": "weekly"]]])
        let metadata = AccountUpdateRequest(metadata: ["k": "v"])
        try account.apply(settings, as: .controllingPlatform, now: 1)
        #expect(account.settings.value(at: "payouts.schedule.interval") == "weekly")
        #expect(throws: JunctionError.self) { try account.apply(settings, as: .connectedPlatform, now: 1) }
        try account.apply(metadata, as: .connectedPlatform, now: 1)
        #expect(account.metadata == ["k": "v"])
        #expect(throws: JunctionError.self) { try account.apply(metadata, as: .connectedExtension, now: 1) }
        // F4: the owner of a platform-controlled account cannot change its payout schedule.
        #expect(throws: JunctionError.self) { try account.apply(settings, as: .owner, now: 1) }
    }

    @Test("requirements shrink as the platform provides details, and capabilities become active")
    func requirements() throws {
        var account = try make(
            AccountCreateRequest(
                controller: ControllerRequest(
                    feesPayer: .application, lossesPayments: .application, requirementCollection: .application,
                    dashboard: DashboardType.none),
                country: "US", capabilities: ["card_payments": true, "transfers": true]))
        #expect(account.capabilityStatus("card_payments").rawValue == "inactive")
        #expect(!account.chargesEnabled)
        try account.apply(
            AccountUpdateRequest(
                businessType: "individual",
                businessProfile: ["mcc": "5734", "url": "https://example.com"],
                individual: [
                    "first_name": "Jane", "last_name": "Doe", "email": "j@example.com", "phone": "+15555550100",
                    "dob": ["day": 1, "month": 1, "year": 1990],
                    "address": ["line1": "1 Main St", "city": "Town", "postal_code": "12345"],
                ],
                tosAcceptance: ["date": 1_700_000_000, "ip": "127.0.0.1"]), as: .controllingPlatform, now: 2)
        #expect(account.requirements.currentlyDue == ["external_account"])
        #expect(account.capabilityStatus("card_payments").rawValue == "active")
        #expect(account.chargesEnabled && account.detailsSubmitted && !account.payoutsEnabled)
    }

    @Test("updates merge nested hashes and null unsets")
    func merging() {
        let base: JSONValue = ["a": ["b": 1, "c": 2], "d": 3]
        #expect(base.merging(["a": ["b": nil], "e": 4]) == ["a": ["c": 2], "d": 3, "e": 4])
    }
}
