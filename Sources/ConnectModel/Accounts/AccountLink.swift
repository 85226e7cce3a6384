/// What an account link opens.
public enum AccountLinkType: String, Sendable, Codable, CaseIterable {
    case accountOnboarding = "account_onboarding"
    case accountUpdate = "account_update"
}

/// A hosted onboarding link made by `POST /v1/account_links`: single-use, expires after 300 s.
public struct AccountLink: Sendable, Codable, Equatable {
    public var tokenHash: String
    public var account: String
    public var application: String
    public var type: AccountLinkType
    public var refreshURL: String?
    public var returnURL: String?
    public var created: Int
    public var expiresAt: Int
    public var usedAt: Int?

    public init(
        tokenHash: String, account: String, application: String, type: AccountLinkType, refreshURL: String?,
        returnURL: String?, created: Int, expiresAt: Int, usedAt: Int? = nil
    ) {
        self.tokenHash = tokenHash
        self.account = account
        self.application = application
        self.type = type
        self.refreshURL = refreshURL
        self.returnURL = returnURL
        self.created = created
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }

    /// Whether the link can still be used at `now`.
    public func isUsable(now: Int) -> Bool { usedAt == nil && now < expiresAt }
}
