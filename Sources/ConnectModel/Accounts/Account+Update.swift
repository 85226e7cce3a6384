extension Account {
    /// P10 and F4: whether `relation` may change `field` (a top-level parameter name).
    public func mayUpdate(_ field: String, as relation: AccountRelation, settingsPath: [String] = []) -> Bool {
        switch relation {
        // Where payouts go is the business of whoever collects requirements: the account, or
        // its controller when that is the platform (Custom, Express).
        case .controllingPlatform:
            return field != "external_account" || controller.requirementCollection == .application
        case .connectedPlatform: return field == "metadata"
        case .connectedExtension: return false
        case .owner:
            // F4: a platform-controlled account's payout schedule is the platform's to set.
            if field == "settings", isPlatformControlled, settingsPath.contains("payouts") { return false }
            return true
        }
    }

    /// Applies a validated update after checking P10 for every named field.
    public mutating func apply(_ update: AccountUpdateRequest, as relation: AccountRelation, now: Int)
        throws(JunctionError)
    {
        let settingsKeys = update.settings?.objectValue.map { Array($0.keys) } ?? []
        for field in update.namedFields where !mayUpdate(field, as: relation, settingsPath: settingsKeys) {
            let why: String
            switch relation {
            case .connectedPlatform:
                why =
                    "A platform connected through OAuth that does not control this account may update its metadata only."
            case .connectedExtension: why = "An extension cannot update the accounts it is connected to."
            case .owner: why = "Only the controlling platform may change the payout schedule of this account."
            case .controllingPlatform: why = "Stripe collects this account's requirements, its bank accounts included."
            }
            throw JunctionError(
                .permission, code: "more_permissions_required_for_application",
                message:
                    "This application does not have the required permissions to update '\(field)' on account '\(id)'. \(why)",
                param: field)
        }
        if let email = update.email { self.email = email.stringValue }
        if let businessType = update.businessType { self.businessType = businessType.stringValue }
        if let currency = update.defaultCurrency {
            defaultCurrency = try Account.validCurrency(currency, country: country)
        }
        if let patch = update.businessProfile { businessProfile = businessProfile.merging(patch) }
        if let patch = update.company { company = (company ?? .object([:])).merging(patch) }
        if let patch = update.individual { individual = (individual ?? .object([:])).merging(patch) }
        if let patch = update.settings { settings = settings.merging(patch) }
        if let patch = update.tosAcceptance { tosAcceptance = tosAcceptance.merging(patch) }
        if let changes = update.capabilities {
            for (name, wanted) in changes { requestCapability(name, wanted, now: now) }
        }
        if let value = update.externalAccount {
            attach(try ExternalAccount.make(from: value, for: self, now: now), replacesDefault: true)
        }
        if update.clearMetadata { metadata = [:] }
        if let changes = update.metadata {
            for (key, value) in changes { metadata[key] = value }
        }
    }

    /// Requests or un-requests one capability; the request time is kept while it stays requested.
    public mutating func requestCapability(_ name: String, _ wanted: Bool, now: Int) {
        let previous = capabilities[name]
        if wanted {
            capabilities[name] = CapabilityState(requested: true, requestedAt: previous?.requestedAt ?? now)
        } else {
            capabilities[name] = CapabilityState(requested: false, requestedAt: nil)
        }
    }

    /// The reasons `POST /v1/accounts/{id}/reject` accepts.
    public static let rejectReasons = [
        "credit", "fraud", "fraud_no_intent_to_fulfill", "fraud_other", "fraud_payment_method_casher",
        "fraud_payment_method_tester", "other", "terms_of_service",
    ]
}
