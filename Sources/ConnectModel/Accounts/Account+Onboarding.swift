/// What a person enters on the hosted onboarding page of an account link.
public struct OnboardingSubmission: Sendable, Equatable {
    public var businessName: String
    public var email: String
    /// The address the person submitted from, recorded as the terms of service acceptance.
    public var ip: String
    public var userAgent: String?
    /// Where payouts go: the routing and account numbers entered (Stripe's test ones by default).
    public var routingNumber: String
    public var accountNumber: String
    /// A company's representative, as entered.
    public var representativeFirstName: String
    public var representativeLastName: String
    public var representativeTitle: String

    public init(
        businessName: String, email: String, ip: String, userAgent: String?, routingNumber: String = "110000000",
        accountNumber: String = "000123456789", representativeFirstName: String = "",
        representativeLastName: String = "", representativeTitle: String = ""
    ) {
        self.businessName = businessName
        self.email = email
        self.ip = ip
        self.userAgent = userAgent
        self.routingNumber = routingNumber
        self.accountNumber = accountNumber
        self.representativeFirstName = representativeFirstName
        self.representativeLastName = representativeLastName
        self.representativeTitle = representativeTitle
    }
}

extension Account {
    /// Completes onboarding the way Stripe's hosted flow does in test mode: what the person
    /// entered is kept, everything still missing is filled with Stripe's documented test values
    /// (for example the test SSN `000000000` and date of birth `1901-01-01`), the terms of service
    /// are accepted, and the account owes nothing more.
    public mutating func completeOnboarding(_ submission: OnboardingSubmission, now: Int) throws(JunctionError) {
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
            // The representative, as entered (else Stripe's test person); the owners are
            // declared provided, as the hosted flow asks for them.
            if !people.contains(where: \.relationship.representative) {
                var relationship = Person.Relationship()
                relationship.representative = true
                relationship.executive = true
                relationship.title = submission.representativeTitle.isEmpty ? "Owner" : submission.representativeTitle
                store(
                    Person(
                        id: Identifiers.make("person"), created: now,
                        details: [
                            "first_name": .string(
                                submission.representativeFirstName.isEmpty
                                    ? "Jenny" : submission.representativeFirstName),
                            "last_name": .string(
                                submission.representativeLastName.isEmpty ? "Rosen" : submission.representativeLastName),
                            "email": .string(email ?? submission.email), "phone": "+15555550100",
                            "id_number": "000000000", "dob": ["day": 1, "month": 1, "year": 1901],
                            "address": ["line1": "address_full_match", "city": "Test City", "postal_code": "12345"],
                        ], relationship: relationship, metadata: [:]))
            }
            company?["owners_provided"] = true
        }
        // The bank account payouts go to, when the account has none yet.
        if payoutDestinations.isEmpty {
            attach(
                try ExternalAccount.make(
                    from: [
                        "object": "bank_account", "country": .string(country), "currency": .string(defaultCurrency),
                        "routing_number": .string(submission.routingNumber),
                        "account_number": .string(submission.accountNumber),
                    ], for: self, now: now, param: "bank account"))
        }
        tosAcceptance = tosAcceptance.merging([
            "date": .int(now), "ip": .string(submission.ip), "user_agent": JSONValue(submission.userAgent),
        ])
        onboardingComplete = true
    }
}
