/// The API version events are rendered with (the one the official SDK 16.1.0 sends).

/// A state change, stored in the same transaction as the change itself (E1).
public struct Event: Sendable, Codable, Equatable {
    public var id: String
    public var type: EventType
    /// The account the change happened on.
    public var account: String
    /// The application an `account.application.*` event is about; it sees the event even once
    /// disconnected.
    public var application: String?
    public var created: Int
    public var object: JSONValue
    public var previousAttributes: JSONValue?
    public var request: RequestInfo
    /// For an account's events, the application that controls it: `data.object` is the account as
    /// that controller sees it, and every other reader gets it without what only the controller
    /// sees (C8; L3 of the security review).
    public var controllingApplication: String?

    public init(
        _ type: EventType, account: String, application: String? = nil, created: Int, object: JSONValue,
        previousAttributes: JSONValue? = nil, request: RequestInfo, controllingApplication: String? = nil
    ) {
        self.controllingApplication = controllingApplication
        self.id = Identifiers.make("evt")
        self.type = type
        self.account = account
        self.application = application
        self.created = created
        self.object = object
        self.previousAttributes = previousAttributes
        self.request = request
    }

    /// The event as `viewer` (an account id) sees it: `account` is set when the event happened on
    /// another account, i.e. a connected one.
    /// `version` is the one its `data.object` is rendered at (``Versioning``).
    /// `viewerApplication` is the viewer's application, if it has one.
    public func rendered(
        for viewer: String, viewerApplication: String? = nil, pendingWebhooks: Int = 0, version: APIVersion = .newest
    ) -> JSONValue {
        var data: [String: JSONValue] = ["object": object]
        if let previousAttributes { data["previous_attributes"] = previousAttributes }
        if let controllingApplication, controllingApplication != viewerApplication {
            for key in data.keys { data[key] = Account.withoutControllerOnlyFields(data[key]!) }
        }
        var event: [String: JSONValue] = [
            "id": .string(id), "object": "event", "api_version": .string(version.description), "created": .int(created),
            "data": .object(data), "livemode": false, "pending_webhooks": .int(pendingWebhooks),
            "request": ["id": JSONValue(request.id), "idempotency_key": JSONValue(request.idempotencyKey)],
            "type": .string(type.rawValue), "context": nil,
        ]
        if account != viewer { event["account"] = .string(account) }
        return .object(event)
    }
}
