/// Where a delivery stands.
public enum DeliveryStatus: String, Sendable, Codable, CaseIterable {
    case pending
    case succeeded
    /// Given up: retries exhausted, or the endpoint went away.
    case failed
}

/// How a delivery reaches its endpoint.
public enum DeliveryMode: String, Sendable, Codable {
    /// The delivery worker POSTs it to the endpoint's URL.
    case push
    /// A `junction listen` session pulls it.
    case pull
}

/// One event for one webhook endpoint: its state, attempts and schedule.
public struct WebhookDelivery: Sendable, Codable, Equatable {
    public var id: String
    public var event: String
    public var endpoint: String
    /// The account that owns the endpoint.
    public var owner: String
    public var status: DeliveryStatus
    public var attempts: Int
    public var nextAttemptAt: Int?
    public var lastStatus: Int?
    public var lastError: String?
    public var created: Int
    public var updated: Int
    /// The event's type, when the query read it.
    public var eventType: String?

    public init(
        id: String, event: String, endpoint: String, owner: String, status: DeliveryStatus, attempts: Int,
        nextAttemptAt: Int?, lastStatus: Int?, lastError: String?, created: Int, updated: Int,
        eventType: String? = nil
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
        self.eventType = eventType
    }
}

/// A claimed delivery, with what it needs to be sent.
public struct DeliveryJob: Sendable {
    public var delivery: WebhookDelivery
    public var event: Event
    /// The endpoint's URL; `nil` for a listen session, which forwards where its listener says.
    public var url: String?
    public var secret: String
    /// The endpoint's `api_version`; `nil`: its owner's default.
    public var apiVersion: APIVersion?
    /// The share of the worker it was claimed in.
    public var lane: DeliveryLane

    public init(
        delivery: WebhookDelivery, event: Event, url: String?, secret: String, apiVersion: APIVersion? = nil,
        lane: DeliveryLane = .answering
    ) {
        self.apiVersion = apiVersion
        self.lane = lane
        self.delivery = delivery
        self.event = event
        self.url = url
        self.secret = secret
    }
}
