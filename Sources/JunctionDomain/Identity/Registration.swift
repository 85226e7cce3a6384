import ConnectModel
import HummingbirdBcrypt
import JunctionStorage
import NIOPosix

/// Creating applications, logins and the accounts people open: one code path for the control
/// API, the sign-up page, OAuth's "create a new account" and `--seed`.
public struct Registration: Sendable {
    let store: any DirectoryStore & AccountStore
    let clock: AdjustableClock

    public init(store: any DirectoryStore & AccountStore, clock: AdjustableClock) {
        self.store = store
        self.clock = clock
    }

    /// A new application with its own account, and that account's keys.
    public struct NewApplication: Sendable {
        public var application: ConnectApplication
        public var account: Account
        public var secret: String
        public var publishable: String
    }

    /// A platform or extension with its own account and keys (P1). `secretKey` fixes the key
    /// (seed files do, so scripts can use it); otherwise a random one is made.
    public func createApplication(
        name: String, kind: ConnectApplication.Kind, redirectURIs: [String], secretKey: String? = nil,
        owner: User? = nil, apiVersion: String? = nil
    ) async throws -> NewApplication {
        // The application's account's default API version (Stripe sets it at the first request;
        // here it is chosen at creation, the newest if not).
        var version: APIVersion?
        if let apiVersion {
            guard let known = APIVersion(named: apiVersion) else {
                throw JunctionError.unknownVersion(apiVersion, param: "api_version")
            }
            version = known
        }
        for uri in redirectURIs where !(uri.hasPrefix("http://") || uri.hasPrefix("https://")) {
            throw Self.refusal("Invalid redirect URI '\(uri)': it must be an absolute http(s) URL.", "redirect_uris")
        }
        if let secretKey, !(secretKey.hasPrefix("sk_test_") && secretKey.count >= 24) {
            throw Self.refusal(
                "A fixed secret key must start with sk_test_ and be at least 24 characters long.", "secret_key")
        }
        let now = clock.now()
        var account = Account(
            id: Identifiers.make("acct"), created: now, type: .standard, controller: .standard,
            controllingApplication: nil, country: Countries.fallback, defaultCurrency: "usd")
        account.businessProfile = ["name": .string(name)]
        account.ownerUser = owner?.id
        account.email = owner?.email
        account.markOpenedByPerson(now: now)
        let application = ConnectApplication(
            id: Identifiers.make("ca"), name: name, kind: kind, redirectURIs: redirectURIs, account: account.id,
            created: now, apiVersion: version?.description)
        let secret = secretKey ?? Identifiers.secret("sk_test_")
        let publishable = Identifiers.secret("pk_test_")
        try await store.insertApplication(
            application, account: account, keys: Self.keys(secret, publishable, account.id, now))
        return NewApplication(application: application, account: account, secret: secret, publishable: publishable)
    }

    /// Changes the default API version of an application's account (as upgrading it in Stripe's
    /// dashboard does): requests without `Stripe-Version` and webhooks without their own.
    public func setAPIVersion(_ text: String, of applicationID: String) async throws -> ConnectApplication {
        guard let version = APIVersion(named: text) else {
            throw JunctionError.unknownVersion(text, param: "api_version")
        }
        guard var application = try await store.application(applicationID) else {
            throw JunctionError.noSuch("application", applicationID)
        }
        application.apiVersion = version.description
        try await store.updateApplication(application)
        return application
    }

    /// A login; the password is stored as a bcrypt hash. A taken email is a 409 `email_taken`.
    public func createUser(email rawEmail: String, password: String) async throws -> User {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        guard email.contains("@"), email.count <= 254 else {
            throw Self.refusal("Invalid email address: \(rawEmail)", "email")
        }
        guard password.count >= 8, password.utf8.count <= 72 else {
            throw Self.refusal("Passwords must be 8 to 72 characters long.", "password")
        }
        let hash = try await Self.passwords.runIfActive { Bcrypt.hash(password, cost: 10) }
        let user = User(id: Identifiers.make("usr"), email: email, passwordHash: hash, created: clock.now())
        do {
            try await store.insertUser(user)
        } catch StoreError.duplicate {
            throw JunctionError(
                .conflict, code: "email_taken", message: "A user with email \(email) already exists.", param: "email")
        }
        return user
    }

    /// The user whose email and password these are, or `nil`. An unknown email costs the same
    /// bcrypt check as a known one, so the answer's time does not tell which emails have logins.
    public func signIn(email: String, password: String) async throws -> User? {
        let user = try await store.user(email: email.trimmingCharacters(in: .whitespaces))
        let hash = user?.passwordHash ?? Self.unknownUserHash
        let valid = try await Self.passwords.runIfActive { Bcrypt.verify(password, hash: hash) }
        return valid ? user : nil
    }

    /// bcrypt runs here, on a thread of its own: a flood of sign-ins queues behind itself, never
    /// ahead of the database work every API request does on the shared pool (M2).
    static let passwords: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        return pool
    }()

    /// What an unknown email is checked against: a hash no password matches in practice.
    static let unknownUserHash = Bcrypt.hash(Identifiers.random(length: 32), cost: 10)

    /// A new direct account, and its keys.
    public struct OpenedAccount: Sendable {
        public var account: Account
        public var secret: String
        public var publishable: String
    }

    /// A direct account the user opened themself (C8), optionally sharing the business of
    /// another of their accounts (P8).
    public func openAccount(
        for user: User, businessName: String?, country: String?, email: String?, shareBusinessWith: String?
    ) async throws -> OpenedAccount {
        var country = country?.uppercased()
        if let requested = country, Countries.defaultCurrency[requested] == nil {
            throw Self.refusal("Country '\(requested)' is unknown or not supported.", "country")
        }
        let shared = try await sharedBusiness(shareBusinessWith, of: user)
        country = country ?? shared?.country
        let resolvedCountry = country ?? Countries.fallback
        let now = clock.now()
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
        try await store.insertAccount(account, keys: Self.keys(secret, publishable, account.id, now))
        return OpenedAccount(account: account, secret: secret, publishable: publishable)
    }

    /// The account whose business is shared: it must be one of the user's.
    public func sharedBusiness(_ accountID: String?, of user: User) async throws -> Account? {
        guard let accountID, !accountID.isEmpty else { return nil }
        guard let source = try await store.account(accountID), source.ownerUser == user.id else {
            throw Self.refusal(
                "share_business_with must name an account of the same user; '\(accountID)' is not one of \(user.email)'s accounts.",
                "share_business_with")
        }
        return source
    }

    static func keys(_ secret: String, _ publishable: String, _ account: String, _ now: Int) -> [APIKey] {
        [
            APIKey(hash: Identifiers.hash(secret), kind: .secret, account: account, created: now),
            APIKey(hash: Identifiers.hash(publishable), kind: .publishable, account: account, created: now),
        ]
    }

    static func refusal(_ message: String, _ param: String) -> JunctionError {
        .invalid(message, param: param, code: "parameter_invalid")
    }
}
