extension Resource {
    /// Where an account's events (and, with `connect=true`, its connected accounts' events) are
    /// delivered (E2).
    public static let webhookEndpoint = Resource(
        kind: .webhookEndpoint, idPrefix: "we", noun: "webhook endpoint", path: "/v1/webhook_endpoints",
        statusField: .field("status"))
}

/// Whether an endpoint or a listen session receives events.
public enum WebhookEndpointStatus: String, ResourceStatus {
    case enabled
    case disabled
}

/// A webhook endpoint or a listen session, as delivering events needs it (E2): read from the
/// object's document, so storage never reads the document's fields itself.
public struct WebhookTarget: Sendable, Equatable {
    /// Whose events the target takes.
    public enum Scope: Sendable, Equatable {
        /// The events of its own account.
        case account
        /// The events of the accounts connected to its account's application (`connect=true`).
        case connect
        /// Both: a listen session.
        case listen
    }

    public var id: String
    /// The account that owns the endpoint.
    public var owner: String
    public var scope: Scope
    public var status: WebhookEndpointStatus
    public var enabledEvents: [String]
    /// `nil` for a listen session: its listener forwards where it was told to.
    public var url: String?
    public var secret: String
    /// A listen session ends at this wall-clock time unless its listener polls again.
    public var expiresAt: Int?
    /// The API version its events are rendered at (`api_version`); `nil`: its owner's default.
    public var apiVersion: APIVersion?

    /// The target an endpoint or listen session object describes; `nil` for other objects, or a
    /// deleted one.
    public init?(_ object: StoredObject) {
        guard !object.deleted, let status = object.status(WebhookEndpointStatus.self),
            let secret = object.document[PrivateField.secret]?.stringValue
        else { return nil }
        switch object.kind {
        case .webhookEndpoint:
            guard let url = object.document["url"]?.stringValue else { return nil }
            scope = object.document["connect"] == true ? .connect : .account
            self.url = url
        case .listenSession:
            scope = .listen
            url = nil
        default: return nil
        }
        id = object.id
        owner = object.account
        self.status = status
        self.secret = secret
        enabledEvents = object.document["enabled_events"]?.arrayItems?.compactMap(\.stringValue) ?? []
        expiresAt = object.document[PrivateField.expiresAt]?.integerValue
        apiVersion = object.document["api_version"]?.stringValue.flatMap(APIVersion.init(named:))
    }

    /// How the target is related to the account an event happened on.
    public enum Relation: Sendable {
        /// It belongs to that account.
        case own
        /// It belongs to an application connected to that account, or to the application an
        /// `account.application.*` event is about.
        case connectedApplication
    }

    /// E2: whether this target receives `event`, reached through `relation`, at wall-clock `wall`.
    public func receives(_ event: Event, as relation: Relation, wall: Int) -> Bool {
        guard status == .enabled, Webhooks.wants(enabledEvents, event.type.rawValue) else { return false }
        switch (scope, relation) {
        case (.account, .own), (.connect, .connectedApplication): return true
        case (.listen, _):
            // A session whose listener stopped polling gets nothing more.
            return (expiresAt ?? 0) >= wall
        case (.account, .connectedApplication), (.connect, .own): return false
        }
    }
}
