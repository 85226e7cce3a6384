import ConnectModel
import JunctionStorage

/// Which API version a caller or an endpoint gets, and rendering at it (``Versioning``).
public struct APIVersions: Sendable {
    let store: any DirectoryStore & ObjectStore

    public init(store: any DirectoryStore & ObjectStore) {
        self.store = store
    }

    /// The version of a request: its `Stripe-Version` if it sends one (400 if Stripe never
    /// released it), else the default of the account whose key it uses. As on Stripe, a
    /// platform acting on a connected account gets the platform's version, not the account's.
    public func version(header: String?, principal: Principal) async throws -> APIVersion {
        if let header {
            guard let version = APIVersion(named: header) else { throw JunctionError.unknownVersion(header) }
            return version
        }
        // The key's application is at hand when the key is its account's own (no query).
        if let application = principal.application, application.account == principal.account.id {
            return application.apiVersion.flatMap(APIVersion.init(named:)) ?? .newest
        }
        return try await defaultVersion(of: principal.account.id)
    }

    /// The account's default version: its application's `api_version`, else the newest.
    public func defaultVersion(of account: String) async throws -> APIVersion {
        try await store.application(ownedBy: account)?.apiVersion.flatMap(APIVersion.init(named:)) ?? .newest
    }

    /// `value` at `version`, with the account's objects for what older shapes held.
    public func render(_ value: JSONValue, at version: APIVersion, account: String) async throws -> JSONValue {
        try await Versioning.render(value, at: version, lookup: StoreVersionLookup(store: store, account: account))
    }

    /// An event as `viewer` sees it at `version`: `data.object` in that version's shape.
    public func render(_ event: Event, for viewer: String, pendingWebhooks: Int, at version: APIVersion)
        async throws -> JSONValue
    {
        let viewerApplication =
            event.controllingApplication == nil ? nil : try await store.application(ownedBy: viewer)?.id
        var rendered = event.rendered(
            for: viewer, viewerApplication: viewerApplication, pendingWebhooks: pendingWebhooks, version: version)
        if let object = rendered["data"]?["object"] {
            rendered["data"]?["object"] = try await render(object, at: version, account: event.account)
        }
        return rendered
    }
}

/// The objects of one account, for what older versions showed inline.
struct StoreVersionLookup: VersionLookup {
    let store: any ObjectStore
    let account: String

    func children(of parent: String, kind: ObjectKind) async throws -> [JSONValue] {
        try await store.objects(
            account: account, kind: kind, filter: ObjectFilter(parent: parent), page: PageRequest(limit: 100)
        )
        .items.reversed().map(\.publicDocument)
    }

    func object(_ id: String) async throws -> JSONValue? {
        try await store.object(id, account: account)?.publicDocument
    }

    func firstPage(of kind: ObjectKind, ownedBy customer: String) async throws -> (items: [JSONValue], hasMore: Bool) {
        var filter = ObjectFilter(customer: customer)
        if kind == .subscription { filter.excludedStatuses = [SubscriptionStatus.canceled.rawValue] }
        let page = try await store.objects(account: account, kind: kind, filter: filter, page: PageRequest(limit: 10))
        return (page.items.map(\.publicDocument), page.hasMore)
    }

    func invoice(paidBy intent: String) async throws -> String? {
        try await store.object(intent, account: account)?.document[PaymentIntentDocument.invoiceField]?.stringValue
    }
}
