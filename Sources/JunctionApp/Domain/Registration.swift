import ConnectModel
import HummingbirdBcrypt
import JunctionStorage
import NIOPosix

/// Creating applications, users and the accounts people open: one code path for the control
/// API, the sign-up page, OAuth's "create a new account" and `--seed`.
struct Directory: Sendable {
    let services: JunctionServices

    /// A refusal, with the parameter it is about.
    struct Refusal: Error, Sendable {
        var message: String
        var param: String
        var conflict = false
    }

    /// A platform or extension with its own account and keys (P1). `secretKey` fixes the key
    /// (seed files do, so scripts can use it); otherwise a random one is made.
    func createApplication(
        name: String, kind: ConnectApplication.Kind, redirectURIs: [String], secretKey: String? = nil,
        owner: User? = nil
    ) async throws -> (application: ConnectApplication, account: Account, secret: String, publishable: String) {
        for uri in redirectURIs where !(uri.hasPrefix("http://") || uri.hasPrefix("https://")) {
            throw Refusal(
                message: "Invalid redirect URI '\(uri)': it must be an absolute http(s) URL.", param: "redirect_uris")
        }
        if let secretKey, !(secretKey.hasPrefix("sk_test_") && secretKey.count >= 24) {
            throw Refusal(
                message: "A fixed secret key must start with sk_test_ and be at least 24 characters long.",
                param: "secret_key")
        }
        let now = services.clock.now()
        var account = Account(
            id: Identifiers.make("acct"), created: now, type: .standard, controller: .standard,
            controllingApplication: nil, country: Countries.fallback, defaultCurrency: "usd")
        account.businessProfile = ["name": .string(name)]
        account.ownerUser = owner?.id
        account.email = owner?.email
        account.markOpenedByPerson(now: now)
        let application = ConnectApplication(
            id: Identifiers.make("ca"), name: name, kind: kind, redirectURIs: redirectURIs, account: account.id,
            created: now)
        let secret = secretKey ?? Identifiers.secret("sk_test_")
        let publishable = Identifiers.secret("pk_test_")
        try await services.store.insertApplication(
            application, account: account, keys: Self.keys(secret, publishable, account.id, now))
        return (application, account, secret, publishable)
    }

    /// A login; the password is stored as a bcrypt hash.
    func createUser(email rawEmail: String, password: String) async throws -> User {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        guard email.contains("@"), email.count <= 254 else {
            throw Refusal(message: "Invalid email address: \(rawEmail)", param: "email")
        }
        guard password.count >= 8, password.utf8.count <= 72 else {
            throw Refusal(message: "Passwords must be 8 to 72 characters long.", param: "password")
        }
        let hash = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: 10) }
        let user = User(id: Identifiers.make("usr"), email: email, passwordHash: hash, created: services.clock.now())
        do {
            try await services.store.insertUser(user)
        } catch StoreError.duplicate {
            throw Refusal(message: "A user with email \(email) already exists.", param: "email", conflict: true)
        }
        return user
    }

    /// A direct account the user opened themself (C8), optionally sharing the business of
    /// another of their accounts (P8).
    func openAccount(
        for user: User, businessName: String?, country: String?, email: String?, shareBusinessWith: String?
    )
        async throws -> (account: Account, secret: String, publishable: String)
    {
        var country = country?.uppercased()
        if let requested = country, Countries.defaultCurrency[requested] == nil {
            throw Refusal(message: "Country '\(requested)' is unknown or not supported.", param: "country")
        }
        let shared = try await sharedBusiness(shareBusinessWith, of: user)
        country = country ?? shared?.country
        let resolvedCountry = country ?? Countries.fallback
        let now = services.clock.now()
        var account = Account(
            id: Identifiers.make("acct"), created: now, type: .standard, controller: .standard,
            controllingApplication: nil, ownerUser: user.id, country: resolvedCountry,
            defaultCurrency: Countries.defaultCurrency[resolvedCountry]!)
        if let shared { account.copyBusiness(from: shared) }
        account.email = email ?? user.email
        if let businessName { account.businessProfile["name"] = .string(businessName) }
        account.markOpenedByPerson(now: now)
        let secret = Identifiers.secret("sk_test_")
        let publishable = Identifiers.secret("pk_test_")
        try await services.store.insertDirectAccount(account, keys: Self.keys(secret, publishable, account.id, now))
        return (account, secret, publishable)
    }

    /// The account whose business is shared: it must be one of the user's.
    func sharedBusiness(_ accountID: String?, of user: User) async throws -> Account? {
        guard let accountID, !accountID.isEmpty else { return nil }
        guard let source = try await services.store.account(accountID), source.ownerUser == user.id else {
            throw Refusal(
                message:
                    "share_business_with must name an account of the same user; '\(accountID)' is not one of \(user.email)'s accounts.",
                param: "share_business_with")
        }
        return source
    }

    static func keys(_ secret: String, _ publishable: String, _ account: String, _ now: Int) -> [APIKey] {
        [
            APIKey(hash: Authenticator.hash(secret), kind: .secret, account: account, created: now),
            APIKey(hash: Authenticator.hash(publishable), kind: .publishable, account: account, created: now),
        ]
    }
}

extension Account {
    /// P8: what "share the business of another account" copies.
    mutating func copyBusiness(from source: Account) {
        businessProfile = source.businessProfile
        businessType = source.businessType
        company = source.company
        individual = source.individual
        country = source.country
        defaultCurrency = source.defaultCurrency
    }

    /// A person went through sign-up: details submitted, terms accepted, the two payment
    /// capabilities requested.
    mutating func markOpenedByPerson(now: Int) {
        onboardingComplete = true
        tosAcceptance = ["date": .int(now), "ip": "127.0.0.1"]
        requestCapability("card_payments", true, now: now)
        requestCapability("transfers", true, now: now)
    }
}
