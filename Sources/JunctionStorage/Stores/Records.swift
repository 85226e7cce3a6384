import ConnectModel

/// A person's login.
public struct User: Sendable, Codable, Equatable {
    public var id: String
    public var email: String
    public var passwordHash: String
    public var created: Int

    public init(id: String, email: String, passwordHash: String, created: Int) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.created = created
    }
}

/// What an API key is.
public enum KeyKind: String, Sendable, Codable {
    case secret
    case publishable
    /// An OAuth access token: acts as the connected account with the token's scope (A3).
    case oauthAccess = "oauth_access"
    /// An OAuth refresh token (`rt_…`): only good for `POST /oauth/token`.
    case oauthRefresh = "oauth_refresh"
}

/// A stored API key: only its SHA-256 is kept.
public struct APIKey: Sendable, Equatable {
    public var hash: String
    public var kind: KeyKind
    public var account: String
    public var created: Int
    /// For OAuth tokens: the connection they act through, their scope, and the code they came from.
    public var connection: String?
    public var scope: Connection.Scope?
    public var codeHash: String?

    public init(
        hash: String, kind: KeyKind, account: String, created: Int, connection: String? = nil,
        scope: Connection.Scope? = nil, codeHash: String? = nil
    ) {
        self.hash = hash
        self.kind = kind
        self.account = account
        self.created = created
        self.connection = connection
        self.scope = scope
        self.codeHash = codeHash
    }
}

/// An OAuth authorization code (`ac_…`): single-use, lives 5 minutes (P15). Only its hash is kept.
public struct OAuthCode: Sendable, Equatable {
    public var hash: String
    public var application: String
    public var account: String
    public var connection: String
    public var scope: Connection.Scope
    public var redirectURI: String?
    public var created: Int
    public var expiresAt: Int
    public var usedAt: Int?

    public init(
        hash: String, application: String, account: String, connection: String, scope: Connection.Scope,
        redirectURI: String?, created: Int, expiresAt: Int, usedAt: Int? = nil
    ) {
        self.hash = hash
        self.application = application
        self.account = account
        self.connection = connection
        self.scope = scope
        self.redirectURI = redirectURI
        self.created = created
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }
}

/// What redeeming an authorization code came to.
public enum CodeRedemption: Sendable, Equatable {
    /// The tokens were stored; the connection they act through.
    case issued(Connection)
    case unknown
    /// Used before: the tokens issued from it are now revoked (P15).
    case reused
    case expired
    /// The code belongs to another application.
    case wrongApplication
    /// The connection ended before the code was redeemed.
    case connectionEnded
}

/// A page of a list, newest first.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var hasMore: Bool

    public init(items: [Item], hasMore: Bool) {
        self.items = items
        self.hasMore = hasMore
    }
}

/// Where a page starts: Stripe's `starting_after` / `ending_before` cursors.
public enum PageCursor: Sendable, Equatable {
    case first
    case startingAfter(String)
    case endingBefore(String)
}

/// Stripe's `created` list filter: an exact time or a range (`gt`, `gte`, `lt`, `lte`).
public struct CreatedFilter: Sendable, Equatable {
    public var gt: Int?
    public var gte: Int?
    public var lt: Int?
    public var lte: Int?

    public init(gt: Int? = nil, gte: Int? = nil, lt: Int? = nil, lte: Int? = nil) {
        self.gt = gt
        self.gte = gte
        self.lt = lt
        self.lte = lte
    }

    public static func exactly(_ time: Int) -> CreatedFilter { CreatedFilter(gte: time, lte: time) }
}

/// The stored outcome of an idempotent request.
public struct StoredResponse: Sendable, Equatable, Codable {
    public var status: Int
    public var body: String
    public var requestID: String

    public init(status: Int, body: String, requestID: String) {
        self.status = status
        self.body = body
        self.requestID = requestID
    }
}

/// What happened when a request claimed an idempotency key.
public enum IdempotencyClaim: Sendable, Equatable {
    /// First use: run the request, then ``Store/finishIdempotent(scope:key:response:)``.
    case started
    /// The first request with this key is still running.
    case inFlight
    /// Same key, same parameters, finished: replay this.
    case replay(StoredResponse)
    /// Same key, other parameters.
    case mismatch
}

/// Failures of the store that callers handle.
public enum StoreError: Error, Sendable, Equatable {
    /// A unique value is taken (for example an email).
    case duplicate(String)
    /// The single-platform policy's constraint refused a second active platform connection (P4).
    case platformConnectionExists
}

/// A hosted onboarding link made by `POST /v1/account_links`: single-use, expires after 300 s.
public struct AccountLink: Sendable, Equatable {
    public var tokenHash: String
    public var account: String
    public var application: String
    public var type: String
    public var refreshURL: String?
    public var returnURL: String?
    public var created: Int
    public var expiresAt: Int
    public var usedAt: Int?

    public init(
        tokenHash: String, account: String, application: String, type: String, refreshURL: String?,
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

/// The owner of an API key, read in one go for every authenticated request.
public struct KeyHolder: Sendable, Equatable {
    public var key: APIKey
    public var account: Account
    /// The application the account runs, if it is a platform's or an extension's account; for
    /// an OAuth token, the application of its connection.
    public var application: ConnectApplication?
    /// For an OAuth token: its active connection.
    public var connection: Connection?

    public init(key: APIKey, account: Account, application: ConnectApplication?, connection: Connection? = nil) {
        self.key = key
        self.account = account
        self.application = application
        self.connection = connection
    }
}

/// A browser session. Only the hash of the cookie's token is kept; `csrf` is the token every
/// form of the session must carry.
public struct WebSession: Sendable, Equatable {
    public var tokenHash: String
    /// The signed-in person, if any.
    public var user: String?
    /// The one account an Express login link opened (reduced dashboard), if any.
    public var account: String?
    public var csrf: String
    public var created: Int
    public var expiresAt: Int

    public init(tokenHash: String, user: String?, account: String?, csrf: String, created: Int, expiresAt: Int) {
        self.tokenHash = tokenHash
        self.user = user
        self.account = account
        self.csrf = csrf
        self.created = created
        self.expiresAt = expiresAt
    }
}

/// An object an account owns (a customer, a payment method, a charge, …), as its Stripe JSON.
public struct StoredObject: Sendable, Equatable {
    public var id: String
    /// The owner: the only account that ever sees it (A6).
    public var account: String
    /// Stripe's `object` value: `customer`, `payment_method`, `charge`, …
    public var type: String
    /// The customer it belongs to, for `customer=` list filters.
    public var customer: String?
    /// The object it hangs from (a charge's payment intent, a refund's charge), for list filters.
    public var parent: String?
    /// One more value lists filter on (a customer's email, a price's product).
    public var lookup: String?
    public var created: Int
    public var deleted: Bool
    public var document: JSONValue
    /// When the clock next acts on the object (a subscription's renewal), if ever.
    public var dueAt: Int?

    public init(
        id: String, account: String, type: String, customer: String? = nil, parent: String? = nil,
        lookup: String? = nil, created: Int, deleted: Bool = false, dueAt: Int? = nil, document: JSONValue
    ) {
        self.id = id
        self.account = account
        self.type = type
        self.customer = customer
        self.parent = parent
        self.lookup = lookup
        self.created = created
        self.deleted = deleted
        self.dueAt = dueAt
        self.document = document
    }

    /// The document as clients see it: fields whose names start with `_` are Junction's own
    /// (a test card's behaviour, say) and never leave the server.
    public var publicDocument: JSONValue { document.withoutPrivateFields }
}

extension JSONValue {
    /// This object without its `_`-prefixed fields, at any depth.
    public var withoutPrivateFields: JSONValue {
        switch self {
        case .object(let fields):
            return .object(
                Dictionary(
                    uniqueKeysWithValues: fields.filter { !$0.key.hasPrefix("_") }.map {
                        ($0.key, $0.value.withoutPrivateFields)
                    }))
        case .array(let items): return .array(items.map(\.withoutPrivateFields))
        default: return self
        }
    }
}

/// One event for one webhook endpoint: its state, attempts and schedule.
public struct WebhookDelivery: Sendable, Equatable {
    public var id: String
    public var event: String
    public var endpoint: String
    /// The account that owns the endpoint.
    public var owner: String
    /// `pending`, `succeeded` or `failed` (gave up).
    public var status: String
    public var attempts: Int
    public var nextAttemptAt: Int?
    public var lastStatus: Int?
    public var lastError: String?
    public var created: Int
    public var updated: Int
    /// The event's type, when the query read it.
    public var eventType: String?

    public init(
        id: String, event: String, endpoint: String, owner: String, status: String, attempts: Int, nextAttemptAt: Int?,
        lastStatus: Int?, lastError: String?, created: Int, updated: Int
    ) {
        self.id = id
        self.event = event
        self.endpoint = endpoint
        self.owner = owner
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.created = created
        self.updated = updated
    }
}

/// A claimed delivery, with what it needs to be sent.
public struct DeliveryJob: Sendable {
    public var delivery: WebhookDelivery
    public var event: Event
    /// The endpoint's URL; `nil` for a listen session, which forwards where its listener says.
    public var url: String?
    public var secret: String

    public init(delivery: WebhookDelivery, event: Event, url: String?, secret: String) {
        self.delivery = delivery
        self.event = event
        self.url = url
        self.secret = secret
    }
}

/// What a list of objects is filtered by.
public struct ObjectFilter: Sendable, Equatable {
    public var customer: String?
    public var parent: String?
    public var lookup: String?
    /// Leaves out objects whose lookup value is this (subscriptions: `canceled` by default).
    public var excludeLookup: String?
    public var created: CreatedFilter?

    public init(
        customer: String? = nil, parent: String? = nil, lookup: String? = nil, excludeLookup: String? = nil,
        created: CreatedFilter? = nil
    ) {
        self.customer = customer
        self.parent = parent
        self.lookup = lookup
        self.excludeLookup = excludeLookup
        self.created = created
    }
}

/// One unit of work over objects, events and accounts: everything in it commits together or not
/// at all (a charge, its balance transactions, the application fee and their events).
public protocol ObjectTransaction: Sendable {
    /// The object `id` if `account` owns it; locked for the rest of the transaction on PostgreSQL.
    func object(_ id: String, account: String) async throws -> StoredObject?
    func insert(_ object: StoredObject) async throws
    func update(_ object: StoredObject) async throws
    func emit(_ event: Event) async throws
    func account(_ id: String) async throws -> Account?
    func application(_ id: String) async throws -> ConnectApplication?
    /// Records a movement of an account's balance.
    func record(_ entry: BalanceEntry) async throws
    /// An account's balance per currency, available and pending together.
    func totalBalance(of account: String) async throws -> [String: Int]
}

/// An account's balance in one currency.
public struct BalanceAmount: Sendable, Equatable {
    public var currency: String
    public var available: Int
    public var pending: Int

    public init(currency: String, available: Int, pending: Int) {
        self.currency = currency
        self.available = available
        self.pending = pending
    }
}
