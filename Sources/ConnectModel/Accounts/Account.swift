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
        self.settings = AccountSettings.defaults(country: country, currency: defaultCurrency)
        self.tosAcceptance = .object([:])
        self.capabilities = [:]
        self.metadata = [:]
        self.onboardingComplete = false
    }

    /// C8: created by a platform (API or OAuth "create a new account").
    public var isPlatformControlled: Bool { controllingApplication != nil }
}

/// One capability of an account.
public struct CapabilityState: Sendable, Codable, Equatable {
    public var requested: Bool
    public var requestedAt: Int?

    public init(requested: Bool, requestedAt: Int?) {
        self.requested = requested
        self.requestedAt = requestedAt
    }
}

/// The capability names Junction knows; requesting another is a 400.
public enum Capabilities {
    public static let known: Set<String> = [
        "acss_debit_payments", "affirm_payments", "afterpay_clearpay_payments", "alipay_payments",
        "amazon_pay_payments", "au_becs_debit_payments", "bacs_debit_payments", "bancontact_payments",
        "bank_transfer_payments", "blik_payments", "boleto_payments", "card_issuing", "card_payments",
        "cartes_bancaires_payments", "cashapp_payments", "eps_payments", "fpx_payments", "giropay_payments",
        "grabpay_payments", "ideal_payments", "jcb_payments", "klarna_payments", "konbini_payments",
        "link_payments", "mobilepay_payments", "oxxo_payments", "p24_payments", "paynow_payments",
        "promptpay_payments", "revolut_pay_payments", "sepa_debit_payments", "sofort_payments",
        "swish_payments", "tax_reporting_us_1099_k", "tax_reporting_us_1099_misc", "transfers", "treasury",
        "twint_payments", "us_bank_account_ach_payments", "us_bank_transfer_payments", "zip_payments",
    ]
}

/// Default `settings` of a new account.
public enum AccountSettings {
    public static func defaults(country: String, currency: String) -> JSONValue {
        [
            "bacs_debit_payments": ["display_name": nil, "service_user_number": nil],
            "branding": ["icon": nil, "logo": nil, "primary_color": nil, "secondary_color": nil],
            "card_issuing": ["tos_acceptance": ["date": nil, "ip": nil]],
            "card_payments": [
                "decline_on": ["avs_failure": false, "cvc_failure": false],
                "statement_descriptor_prefix": nil,
                "statement_descriptor_prefix_kana": nil,
                "statement_descriptor_prefix_kanji": nil,
            ],
            "dashboard": ["display_name": nil, "timezone": "Etc/UTC"],
            "invoices": ["default_account_tax_ids": nil],
            "payments": [
                "statement_descriptor": nil, "statement_descriptor_kana": nil, "statement_descriptor_kanji": nil,
            ],
            "payouts": [
                "debit_negative_balances": true,
                "schedule": ["delay_days": .int(country == "US" ? 2 : 7), "interval": "daily"],
                "statement_descriptor": nil,
            ],
            "sepa_debit_payments": [:],
        ]
    }
}
