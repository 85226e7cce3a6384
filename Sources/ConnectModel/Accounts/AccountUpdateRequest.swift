/// A validated update of an account. Each field is `nil` when the request did not name it;
/// JSON trees use `null` for "unset".
public struct AccountUpdateRequest: Sendable, Equatable {
    public var email: JSONValue?
    public var businessType: JSONValue?
    public var defaultCurrency: String?
    public var businessProfile: JSONValue?
    public var company: JSONValue?
    public var individual: JSONValue?
    public var settings: JSONValue?
    public var tosAcceptance: JSONValue?
    public var capabilities: [String: Bool]?
    /// `nil` = untouched; a key mapped to `nil` is removed; `clearMetadata` empties it first.
    public var metadata: [String: String?]?
    public var clearMetadata: Bool
    /// `external_account`: a token or a hash; becomes the default for its currency.
    public var externalAccount: JSONValue?

    public init(
        email: JSONValue? = nil, businessType: JSONValue? = nil, defaultCurrency: String? = nil,
        businessProfile: JSONValue? = nil, company: JSONValue? = nil, individual: JSONValue? = nil,
        settings: JSONValue? = nil, tosAcceptance: JSONValue? = nil, capabilities: [String: Bool]? = nil,
        metadata: [String: String?]? = nil, clearMetadata: Bool = false
    ) {
        self.email = email
        self.businessType = businessType
        self.defaultCurrency = defaultCurrency
        self.businessProfile = businessProfile
        self.company = company
        self.individual = individual
        self.settings = settings
        self.tosAcceptance = tosAcceptance
        self.capabilities = capabilities
        self.metadata = metadata
        self.clearMetadata = clearMetadata
    }

    /// The top-level parameters this update names, in a stable order.
    public var namedFields: [String] {
        var names: [String] = []
        if businessProfile != nil { names.append("business_profile") }
        if externalAccount != nil { names.append("external_account") }
        if businessType != nil { names.append("business_type") }
        if capabilities != nil { names.append("capabilities") }
        if company != nil { names.append("company") }
        if defaultCurrency != nil { names.append("default_currency") }
        if email != nil { names.append("email") }
        if individual != nil { names.append("individual") }
        if metadata != nil || clearMetadata { names.append("metadata") }
        if settings != nil { names.append("settings") }
        if tosAcceptance != nil { names.append("tos_acceptance") }
        return names
    }
}
