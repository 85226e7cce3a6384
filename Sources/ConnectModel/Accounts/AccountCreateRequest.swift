/// What a request to create an account asks for, after parameter validation.
public struct AccountCreateRequest: Sendable, Equatable {
    public var type: AccountType?
    public var controller: ControllerRequest?
    public var country: String?
    public var defaultCurrency: String?
    public var email: String?
    public var businessType: String?
    public var businessProfile: JSONValue?
    public var company: JSONValue?
    public var individual: JSONValue?
    public var settings: JSONValue?
    public var tosAcceptance: JSONValue?
    /// `external_account`: a token or a hash, the account's first payout destination.
    public var externalAccount: JSONValue?
    /// Capability name → requested.
    public var capabilities: [String: Bool]
    public var metadata: [String: String]

    public init(
        type: AccountType? = nil, controller: ControllerRequest? = nil, country: String? = nil,
        defaultCurrency: String? = nil, email: String? = nil, businessType: String? = nil,
        businessProfile: JSONValue? = nil, company: JSONValue? = nil, individual: JSONValue? = nil,
        settings: JSONValue? = nil, tosAcceptance: JSONValue? = nil, capabilities: [String: Bool] = [:],
        metadata: [String: String] = [:]
    ) {
        self.type = type
        self.controller = controller
        self.country = country
        self.defaultCurrency = defaultCurrency
        self.email = email
        self.businessType = businessType
        self.businessProfile = businessProfile
        self.company = company
        self.individual = individual
        self.settings = settings
        self.tosAcceptance = tosAcceptance
        self.capabilities = capabilities
        self.metadata = metadata
    }
}
