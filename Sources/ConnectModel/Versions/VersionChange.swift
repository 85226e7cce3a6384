/// What a change between two API versions needs besides the object itself: other objects of the
/// same account, as the caller may see them.
public protocol VersionLookup: Sendable {
    /// The objects of `kind` that hang from `parent` (a payment intent's charges), oldest first,
    /// in the newest shape.
    func children(of parent: String, kind: ObjectKind) async throws -> [JSONValue]
    /// The object `id` of the account, in the newest shape.
    func object(_ id: String) async throws -> JSONValue?
    /// The invoice a payment intent was made to pay, which only versions before basil show.
    func invoice(paidBy intent: String) async throws -> String?
    /// The first page (10, newest first) of a customer's objects of `kind` (canceled
    /// subscriptions left out), as a customer showed them before 2020-08-27.
    func firstPage(of kind: ObjectKind, ownedBy customer: String) async throws -> (items: [JSONValue], hasMore: Bool)
}

/// One change Stripe made to an object's shape in `version`, and how to undo it: the newest
/// shape is what Junction keeps; a request at an older version gets each change made after its
/// version undone, newest first, the way Stripe describes its own versioning.
public struct VersionChange: Sendable {
    /// The version that made the change.
    public let version: APIVersion
    /// The `object` value of the objects it changes (`payment_intent`, `line_item`, …).
    public let object: String
    /// What changed, as `docs/versions.md` lists it.
    public let summary: String
    /// Turns the object from the shape of `version` into the shape before it.
    let undo: @Sendable (inout JSONValue, any VersionLookup) async throws -> Void

    public init(
        _ version: APIVersion, _ object: String, _ summary: String,
        undo: @escaping @Sendable (inout JSONValue, any VersionLookup) async throws -> Void
    ) {
        self.version = version
        self.object = object
        self.summary = summary
        self.undo = undo
    }
}

/// Renders JSON at an API version: one place for every version change.
public enum Versioning {
    /// `value` (an object, a list, an event, an error) in the shape of `version`. Objects inside
    /// it (expanded ones, list items, an event's `data.object`) are rendered too.
    public static func render(_ value: JSONValue, at version: APIVersion, lookup: any VersionLookup) async throws
        -> JSONValue
    {
        guard version < APIVersion.newest else { return value }
        return try await render(
            value, changes: VersionChanges.all.filter { $0.version > version }, lookup: lookup, depth: 0)
    }

    /// Deeper than any Stripe object nests (an event's object's expanded list's items…): a
    /// change that brings back objects which bring back objects stops here.
    static let maxDepth = 24

    private static func render(
        _ value: JSONValue, changes: [VersionChange], lookup: any VersionLookup, depth: Int
    ) async throws -> JSONValue {
        guard depth < maxDepth else { return value }
        switch value {
        case .array(let items):
            var out: [JSONValue] = []
            for item in items {
                out.append(try await render(item, changes: changes, lookup: lookup, depth: depth + 1))
            }
            return .array(out)
        case .object:
            var object = value
            // The object's own changes first: what they bring back (a payment intent's charges)
            // is in the newest shape and is rendered with the rest of its fields.
            if let type = object["object"]?.stringValue {
                for change in changes where change.object == type { try await change.undo(&object, lookup) }
            }
            guard case .object(var fields) = object else { return object }
            for (key, field) in fields where field.isContainer {
                fields[key] = try await render(field, changes: changes, lookup: lookup, depth: depth + 1)
            }
            return .object(fields)
        default:
            return value
        }
    }
}

extension JSONValue {
    fileprivate var isContainer: Bool {
        switch self {
        case .object, .array: true
        default: false
        }
    }
}
