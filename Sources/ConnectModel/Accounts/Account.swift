/// A Stripe account as Junction stores it: the Connect-relevant parts typed, the free-form
/// business details as JSON trees that updates merge into.
public struct Account: Sendable, Codable, Equatable {
    public var id: String
    public var created: Int
    /// The reported type (C4).
    public var type: AccountType
    public var controller: ControllerProperties
    /// The platform (`ca_…`) that controls the account (C8); `nil` for a direct account.
    public var controllingApplication: String?
    /// The user (`usr_…`) who owns the account, when a person opened or claimed it.
    public var ownerUser: String?
    public var country: String
    public var defaultCurrency: String
    public var email: String?
    public var businessType: String?
    public var businessProfile: JSONValue
    public var company: JSONValue?
    public var individual: JSONValue?
    /// `settings` as the API shows it, after defaults (see ``AccountSettings``).
    public var settings: JSONValue
    public var tosAcceptance: JSONValue
    public var capabilities: [String: CapabilityState]
    public var metadata: [String: String]
    /// The owner went through onboarding (sign-up, or an account link) and Stripe "verified" it.
    public var onboardingComplete: Bool
    /// The reason given to `POST /v1/accounts/{id}/reject`, once rejected.
    public var rejectedReason: String?
    /// Bank accounts and debit cards payouts go to (`nil` in accounts stored before they existed).
    public var externalAccounts: [ExternalAccount]?
    /// A company's people (`nil` in accounts stored before they existed).
    public var persons: [Person]?
    /// The schedule time of the last automatic payout run (Junction's clock).
    public var lastAutomaticPayout: Int?

    public init(
        id: String, created: Int, type: AccountType, controller: ControllerProperties,
        controllingApplication: String?, ownerUser: String? = nil, country: String, defaultCurrency: String
    ) {
        self.id = id
        self.created = created
        self.type = type
        self.controller = controller
        self.controllingApplication = controllingApplication
        self.ownerUser = ownerUser
        self.country = country
        self.defaultCurrency = defaultCurrency
        self.businessProfile = .object([:])
        self.settings = AccountSettings.defaults(
            country: country, currency: defaultCurrency,
            debitNegativeBalances: controller.requirementCollection != .application)
        self.tosAcceptance = .object([:])
        self.capabilities = [:]
        self.metadata = [:]
        self.onboardingComplete = false
    }

    /// C8: created by a platform (API or OAuth "create a new account").
    public var isPlatformControlled: Bool { controllingApplication != nil }
}

extension Account {
    /// What `DELETE /v1/accounts/{id}` answers.
    public static func deletedStub(_ id: String) -> JSONValue {
        ["id": .string(id), "object": "account", "deleted": true]
    }
}
