/// Everything Junction needs to know about one kind of Stripe object an account owns, in one
/// place: how it is named, where it lives on the API, which events it emits, and what the
/// indexed columns of its `objects` row hold.
///
/// The columns have one meaning each, for every resource: `customer` is the customer the object
/// belongs to, `parent` the object it hangs from, `status` its status. A descriptor names the
/// document field each is read from (`nil`: the resource does not use the column); storage
/// writes them from the document, so they never drift from what clients see.
public struct Resource: Sendable, Equatable {
    public let kind: ObjectKind
    /// The prefix of its ids: `cus` for `cus_…`.
    public let idPrefix: String
    /// How error messages name it: "No such customer: 'cus_…'".
    public let noun: String
    /// The list URL; an object's own URL is this plus `/{id}`.
    public let path: String
    public let events: ResourceEvents
    /// The document field `objects.customer` is read from.
    public let customerField: String?
    /// The document field (a dotted path) `objects.parent` is read from.
    public let parentField: String?
    /// Where `objects.status` is read from.
    public let statusField: StatusField?
    /// Whether a retrieve of a deleted object answers `{id, object, deleted: true}` (customers,
    /// products) rather than 404.
    public let retrievableWhenDeleted: Bool
    /// The properties left out unless `expand[]` names them.
    public let includable: [String: IncludedProperty]

    public init(
        kind: ObjectKind, idPrefix: String, noun: String, path: String, events: ResourceEvents = ResourceEvents(),
        customerField: String? = nil, parentField: String? = nil, statusField: StatusField? = nil,
        retrievableWhenDeleted: Bool = false, includable: [String: IncludedProperty] = [:]
    ) {
        self.includable = includable
        self.kind = kind
        self.idPrefix = idPrefix
        self.noun = noun
        self.path = path
        self.events = events
        self.customerField = customerField
        self.parentField = parentField
        self.statusField = statusField
        self.retrievableWhenDeleted = retrievableWhenDeleted
    }

    /// A new id of this resource: `cus_` and 24 characters; 8 characters where ids have no
    /// prefix (coupons).
    public func newID() -> String { idPrefix.isEmpty ? Identifiers.random(length: 8) : Identifiers.make(idPrefix) }

    /// 404 in Stripe's words: `No such customer: 'cus_…'`.
    public func noSuch(_ id: String, param: String = "id") -> JunctionError {
        .noSuch(noun, id, param: param)
    }

    /// The `deleted: true` stub `DELETE` answers with (and a retrieve of a deleted object).
    public func deletedStub(_ id: String) -> JSONValue {
        ["id": .string(id), "object": .string(kind.rawValue), "deleted": true]
    }

    /// Every descriptor.
    public static var all: [Resource] { ObjectKind.allCases.map(\.resource) }
}

/// The events a resource emits when it is created, changed or deleted (others, such as
/// `payment_intent.succeeded`, are declared beside the resource).
public struct ResourceEvents: Sendable, Equatable {
    public var created: EventType?
    public var updated: EventType?
    public var deleted: EventType?

    public init(created: EventType? = nil, updated: EventType? = nil, deleted: EventType? = nil) {
        self.created = created
        self.updated = updated
        self.deleted = deleted
    }
}

/// Where a resource keeps its status.
public enum StatusField: Sendable, Equatable {
    /// A string field of the document (`status`), one of the resource's ``ResourceStatus`` cases.
    case field(String)
    /// Products and prices: the `active` flag, as ``ActiveStatus``.
    case activeFlag
}

/// A resource's statuses, as an enum whose raw values are Stripe's.
public protocol ResourceStatus: RawRepresentable<String>, Sendable, Hashable, CaseIterable {}

/// The status of resources that are only active or not (products, prices).
public enum ActiveStatus: String, ResourceStatus {
    case active
    case inactive
}

extension JSONValue {
    /// A status as it appears in a document.
    public init(_ status: some ResourceStatus) { self = .string(status.rawValue) }
}
