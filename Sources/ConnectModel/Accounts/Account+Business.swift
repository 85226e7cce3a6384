extension Account {
    /// P8: what "share the business of another account" copies.
    public mutating func copyBusiness(from source: Account) {
        businessProfile = source.businessProfile
        businessType = source.businessType
        company = source.company
        individual = source.individual
        country = source.country
        defaultCurrency = source.defaultCurrency
    }

    /// A person went through sign-up: details submitted, terms accepted, the two payment
    /// capabilities requested.
    public mutating func markOpenedByPerson(now: Int) {
        onboardingComplete = true
        tosAcceptance = ["date": .int(now), "ip": "127.0.0.1"]
        requestCapability("card_payments", true, now: now)
        requestCapability("transfers", true, now: now)
    }

    /// The name people see: the business name, else the email, else the id.
    public var displayName: String {
        businessProfile["name"]?.stringValue ?? email ?? id
    }
}
