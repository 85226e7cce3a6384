/// What a person enters on the hosted onboarding page of an account link.
public struct OnboardingSubmission: Sendable, Equatable {
    public var businessName: String
    public var email: String
    /// The address the person submitted from, recorded as the terms of service acceptance.
    public var ip: String
    public var userAgent: String?

    public init(businessName: String, email: String, ip: String, userAgent: String?) {
        self.businessName = businessName
        self.email = email
        self.ip = ip
        self.userAgent = userAgent
    }
}

extension Account {
    /// Completes onboarding the way Stripe's hosted flow does in test mode: what the person
    /// entered is kept, everything still missing is filled with Stripe's documented test values
    /// (for example the test SSN `000000000` and date of birth `1901-01-01`), the terms of service
    /// are accepted, and the account owes nothing more.
    public mutating func completeOnboarding(_ submission: OnboardingSubmission, now: Int) {
        if !submission.businessName.isEmpty { businessProfile["name"] = .string(submission.businessName) }
        if !submission.email.isEmpty { email = submission.email }
        if businessType == nil { businessType = "individual" }
        if businessProfile["mcc"] == nil { businessProfile["mcc"] = "5734" }
        if businessProfile["url"] == nil, businessProfile["product_description"] == nil {
            businessProfile["product_description"] = "Test business onboarded through Junction"
        }
        if businessType == "individual" {
            let testIdentity: JSONValue = [
                "first_name": "Jenny", "last_name": "Rosen", "email": .string(email ?? submission.email),
                "phone": "+15555550100", "id_number": "000000000",
                "dob": ["day": 1, "month": 1, "year": 1901],
                "address": ["line1": "address_full_match", "city": "Test City", "postal_code": "12345"],
            ]
            individual = testIdentity.merging(individual ?? .object([:]))
        } else {
            let testCompany: JSONValue = [
                "name": .string(submission.businessName.isEmpty ? "Test Company" : submission.businessName),
                "tax_id": "000000000", "phone": "+15555550100",
                "address": ["line1": "address_full_match", "city": "Test City", "postal_code": "12345"],
            ]
            company = testCompany.merging(company ?? .object([:]))
        }
        tosAcceptance = tosAcceptance.merging([
            "date": .int(now), "ip": .string(submission.ip), "user_agent": JSONValue(submission.userAgent),
        ])
        onboardingComplete = true
    }
}
