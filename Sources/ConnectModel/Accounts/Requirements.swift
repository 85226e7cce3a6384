/// What an account still has to provide, derived from what it holds (never stored).
///
/// The model is Stripe's shape with a plausible, documented list: business type, the business
/// profile's MCC and URL, the representative's or company's identity, the terms of service
/// acceptance, and a payout destination. An account whose owner completed onboarding owes
/// nothing.
public struct Requirements: Sendable, Equatable {
    public var currentlyDue: [String]

    public init(of account: Account) {
        currentlyDue = account.onboardingComplete ? [] : Self.missingFields(of: account)
    }

    /// Whether the requirements that gate payments are met (everything but the payout destination).
    public var paymentsReady: Bool { currentlyDue.allSatisfy { $0 == "external_account" } }

    public var isEmpty: Bool { currentlyDue.isEmpty }

    static func missingFields(of account: Account) -> [String] {
        var due: [String] = []
        func need(_ field: String, in tree: JSONValue?, at path: String) {
            if tree?.value(at: path) == nil { due.append(field) }
        }
        if account.businessType == nil { due.append("business_type") }
        need("business_profile.mcc", in: account.businessProfile, at: "mcc")
        if account.businessProfile.value(at: "url") == nil,
            account.businessProfile.value(at: "product_description") == nil
        {
            due.append("business_profile.url")
        }
        switch account.businessType {
        case "individual":
            for path in [
                "first_name", "last_name", "dob.day", "dob.month", "dob.year", "email", "phone", "address.line1",
                "address.city", "address.postal_code",
            ] {
                need("individual.\(path)", in: account.individual, at: path)
            }
        case "company", "non_profit", "government_entity":
            for path in ["name", "tax_id", "phone", "address.line1", "address.city", "address.postal_code"] {
                need("company.\(path)", in: account.company, at: path)
            }
        default: break
        }
        need("tos_acceptance.date", in: account.tosAcceptance, at: "date")
        need("tos_acceptance.ip", in: account.tosAcceptance, at: "ip")
        due += account.personRequirements
        if account.payoutDestinations.isEmpty { due.append("external_account") }
        return due.sorted()
    }
}

extension Account {
    public var requirements: Requirements { Requirements(of: self) }

    /// A capability's status: active, inactive (requirements due or rejected), or unrequested.
    public func capabilityStatus(_ name: String) -> CapabilityStatus {
        guard let state = capabilities[name], state.requested else { return .unrequested }
        if rejectedReason != nil { return .inactive }
        return requirements.paymentsReady ? .active : .inactive
    }

    public var chargesEnabled: Bool {
        rejectedReason == nil && requirements.paymentsReady
            && (capabilities["card_payments"]?.requested == true ? capabilityStatus("card_payments") == .active : true)
    }

    public var payoutsEnabled: Bool {
        rejectedReason == nil && requirements.isEmpty
    }

    public var detailsSubmitted: Bool {
        onboardingComplete || (controller.requirementCollection == .application && requirements.paymentsReady)
    }
}
