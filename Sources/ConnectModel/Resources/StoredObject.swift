/// An object an account owns (a customer, a payment method, a charge, …), as its Stripe JSON.
///
/// Fields whose names start with `_` are Junction's own (a test card's behaviour, an endpoint's
/// signing secret) and never leave the server: see ``publicDocument``.
public struct StoredObject: Sendable, Equatable {
    public var id: String
    /// The owner: the only account that ever sees it (A6).
    public var account: String
    public var kind: ObjectKind
    public var created: Int
    public var deleted: Bool
    /// When Junction's clock next acts on the object (a subscription's renewal), if ever.
    public var dueAt: Int?
    public var document: JSONValue

    public init(
        id: String, account: String, kind: ObjectKind, created: Int, deleted: Bool = false, dueAt: Int? = nil,
        document: JSONValue
    ) {
        self.id = id
        self.account = account
        self.kind = kind
        self.created = created
        self.deleted = deleted
        self.dueAt = dueAt
        self.document = document
    }

    public var resource: Resource { kind.resource }

    /// The document as clients see it, without Junction's `_` fields.
    public var publicDocument: JSONValue { document.withoutPrivateFields }

    // The indexed columns, read from the document as the resource's descriptor says.

    /// The customer the object belongs to (`objects.customer`).
    public var customer: String? { resource.customerField.flatMap { document[$0]?.stringValue } }
    /// The object it hangs from (`objects.parent`).
    public var parent: String? { resource.parentField.flatMap { document.value(at: $0)?.stringValue } }
    /// Its status as stored in `objects.status`.
    public var statusValue: String? {
        switch resource.statusField {
        case .field(let name)?: document[name]?.stringValue
        case .activeFlag?: (document["active"] == false ? ActiveStatus.inactive : ActiveStatus.active).rawValue
        case nil: nil
        }
    }

    /// The status as the resource's enum; `nil` when it has none or the value is not one of `Status`.
    public func status<Status: ResourceStatus>(_: Status.Type) -> Status? {
        statusValue.flatMap(Status.init(rawValue:))
    }

    /// Whether the status is one of `statuses`.
    public func hasStatus<Status: ResourceStatus>(in statuses: [Status]) -> Bool {
        status(Status.self).map(statuses.contains) ?? false
    }

    /// Sets the status in the document (products and prices: the `active` flag).
    public mutating func setStatus(_ status: some ResourceStatus) {
        switch resource.statusField {
        case .field(let name)?: document[name] = JSONValue(status)
        case .activeFlag?: document["active"] = .bool(status.rawValue == ActiveStatus.active.rawValue)
        case nil: preconditionFailure("\(kind) has no status")
        }
    }
}

extension JSONValue {
    /// The status of an object's JSON (its `status` field) as its resource's enum; for JSON a
    /// ``StoredObject`` is not at hand (a rendered document, an expanded object).
    public func status<Status: ResourceStatus>(_: Status.Type) -> Status? {
        self[Self.statusField]?.stringValue.flatMap(Status.init(rawValue:))
    }

    /// Where the objects whose descriptor says `.field("status")` keep it.
    static let statusField = "status"

    /// This value without `_`-prefixed fields, at any depth.
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

/// The `_` fields Junction keeps in documents and never renders.
public enum PrivateField {
    /// A webhook endpoint's or listen session's `whsec_…` signing secret (HMAC needs it in clear).
    public static let secret = "_secret"
    /// A listen session: when (wall-clock seconds) it ends unless its listener polls again.
    public static let expiresAt = "_expires_at"
    /// A payment method: how charges on its test card are declined (``TestCards/Decline``).
    public static let decline = "_decline"
    /// A payment method, and an uncaptured charge: the money is available at once (test card 0077).
    public static let bypassPending = "_bypass_pending"
    /// An invoice: its payment intent's client secret, sent as `confirmation_secret` when expanded.
    public static let confirmationSecret = "_confirmation_secret"
    /// A charge: how much of it transfers naming it as `source_transaction` have sent on.
    public static let transferred = "_transferred"
    /// A destination charge's payment intent: the platform application that collects its fee.
    public static let platformApplication = "_platform_application"
}
