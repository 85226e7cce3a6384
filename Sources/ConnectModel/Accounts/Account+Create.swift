extension Account {
    /// Builds a new platform-controlled account (C1–C8) for `platform` (`ca_…`).
    public static func create(
        _ request: AccountCreateRequest, id: String, platform: String?, ownerUser: String? = nil, now: Int
    ) throws(JunctionError) -> Account {
        let (type, controller) = try ControllerRules.resolve(type: request.type, controller: request.controller)

        let country = try validCountry(request.country) ?? Countries.fallback
        let requested = request.capabilities.filter { $0.value }.keys
        if controller.dashboard == .none {
            // C7: an account without a dashboard is onboarded entirely by the platform.
            if request.country == nil {
                throw .missing(
                    "country",
                    message:
                        "Missing required param: country. Accounts without a Stripe dashboard (controller[stripe_dashboard][type]=none, including type=custom) must specify their country."
                )
            }
            if requested.isEmpty {
                throw .missing(
                    "capabilities",
                    message:
                        "Missing required param: capabilities. Accounts without a Stripe dashboard (controller[stripe_dashboard][type]=none, including type=custom) must request at least one capability, for example capabilities[card_payments][requested]=true and capabilities[transfers][requested]=true."
                )
            }
            if request.capabilities["card_payments"] == true, request.capabilities["transfers"] != true {
                throw .invalid(
                    "Accounts without a Stripe dashboard that request the card_payments capability must also request the transfers capability: add capabilities[transfers][requested]=true.",
                    param: "capabilities[transfers]")
            }
        }
        let currency = try validCurrency(request.defaultCurrency, country: country)

        var account = Account(
            id: id, created: now, type: type, controller: controller, controllingApplication: platform,
            ownerUser: ownerUser, country: country, defaultCurrency: currency)
        account.email = request.email
        account.businessType = request.businessType
        account.businessProfile = JSONValue.object([:]).merging(request.businessProfile ?? .object([:]))
        account.company = request.company.map { JSONValue.object([:]).merging($0) }
        account.individual = request.individual.map { JSONValue.object([:]).merging($0) }
        if let settings = request.settings { account.settings = account.settings.merging(settings) }
        account.tosAcceptance = JSONValue.object([:]).merging(request.tosAcceptance ?? .object([:]))
        account.metadata = request.metadata
        // Accounts with the full dashboard get the two payment capabilities, as Standard accounts do.
        var capabilities = request.capabilities
        if controller.dashboard == .full {
            capabilities["card_payments"] = capabilities["card_payments"] ?? true
            capabilities["transfers"] = capabilities["transfers"] ?? true
        }
        for (name, wanted) in capabilities {
            account.capabilities[name] = CapabilityState(requested: wanted, requestedAt: wanted ? now : nil)
        }
        if let value = request.externalAccount {
            account.attach(try ExternalAccount.make(from: value, for: account, now: now))
        }
        return account
    }

    static func validCountry(_ country: String?) throws(JunctionError) -> String? {
        guard let country else { return nil }
        let upper = country.uppercased()
        guard Countries.defaultCurrency[upper] != nil else {
            throw .invalid(
                "Country '\(country)' is unknown or not supported. Use a two-letter ISO 3166-1 code such as US, GB, FR, DE or JP.",
                param: "country")
        }
        return upper
    }

    static func validCurrency(_ currency: String?, country: String) throws(JunctionError) -> String {
        guard let currency else { return Countries.defaultCurrency[country]! }
        let lower = currency.lowercased()
        guard Countries.currencies.contains(lower) else {
            throw .invalid("Invalid currency: \(currency).", param: "default_currency")
        }
        return lower
    }
}
