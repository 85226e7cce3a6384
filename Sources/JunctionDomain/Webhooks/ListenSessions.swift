import ConnectModel
import Foundation
import JunctionStorage

/// `junction listen` sessions (E2): an endpoint without a URL that receives the events of its
/// account and of the accounts connected to its application, like an account endpoint and a
/// connect endpoint together. Its listener pulls deliveries (long polling) instead of Junction
/// pushing them, so no public URL is needed; they are the same rows as any endpoint's: signed,
/// retried on the clock, never lost.
public struct ListenSessions: Sendable {
    let store: any ObjectStore & DeliveryStore & EventStore & DirectoryStore
    let clock: AdjustableClock

    public init(store: any ObjectStore & DeliveryStore & EventStore & DirectoryStore, clock: AdjustableClock) {
        self.store = store
        self.clock = clock
    }

    /// A session whose listener has not polled for this long (wall-clock seconds) ends.
    public static let idleLimit = 60
    /// The longest a poll waits for events.
    public static let maxWait = 25
    /// How long a claimed delivery belongs to its claimer before another may retry it.
    public static let lease = 60

    static var wall: Int { Int(Date().timeIntervalSince1970) }

    /// A new session and its signing secret (for the application it forwards to); the secret is
    /// the same for every session of one account and device name.
    public func create(enabledEvents: [String]?, deviceName: String?, caller: Caller) async throws -> (
        session: StoredObject, secret: String
    ) {
        let events = try enabledEvents.map(WebhookEndpoints.validEvents) ?? ["*"]
        let id = Resource.listenSession.newID()
        var secret = Identifiers.secret("whsec_")
        if let deviceName, !deviceName.isEmpty {
            secret = try await store.listenSecret(account: caller.account, device: deviceName, new: secret)
        }
        let session = StoredObject(
            id: id, account: caller.account, kind: .listenSession, created: caller.now,
            document: [
                "id": .string(id), "object": "stripecli.session", "created": .int(caller.now),
                "enabled_events": .array(events.map(JSONValue.string)),
                "status": JSONValue(WebhookEndpointStatus.enabled), "device_name": JSONValue(deviceName),
                PrivateField.secret: .string(secret), PrivateField.expiresAt: .int(Self.wall + Self.idleLimit),
            ])
        try await store.write { tx in try await tx.insert(session) }
        return (session, secret)
    }

    /// One delivery a poll hands out: the payload and `Stripe-Signature` to forward.
    public struct Pulled: Sendable {
        public var delivery: WebhookDelivery
        public var event: Event
        public var payload: [UInt8]
        public var signature: String
    }

    /// Waits up to `wait` seconds for due deliveries and claims them. Polling keeps the session
    /// alive for the wait and the idle limit after it. `stopping` ends the wait early (a server
    /// shutting down answers at once rather than hold its shutdown for the wait).
    public func poll(_ id: String, wait: Int, account: String, stopping: @Sendable () -> Bool) async throws
        -> [Pulled]
    {
        try await store.write { tx in
            var session = try await tx.require(.listenSession, id, account: account)
            session.document[PrivateField.expiresAt] = .int(Self.wall + wait + Self.idleLimit)
            try await tx.update(session)
        }
        let deadline = ContinuousClock.now + .seconds(wait)
        var jobs: [DeliveryJob] = []
        while true {
            jobs = try await store.claimDeliveries(
                now: clock.now(), room: .session(20), lease: Self.lease, session: id, claim: Identifiers.make("claim"))
            if !jobs.isEmpty || ContinuousClock.now >= deadline || stopping() { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let pending = try await store.pendingDeliveries(of: jobs.map(\.event.id))
        // The session's events are rendered at its account's default version, as the Stripe
        // CLI's are.
        let versions = APIVersions(store: store)
        var pulled: [Pulled] = []
        for job in jobs {
            let version = try await versions.defaultVersion(of: job.delivery.owner)
            let payload = try await versions.render(
                job.event, for: job.delivery.owner, pendingWebhooks: pending[job.event.id] ?? 1, at: version
            ).serialized()
            pulled.append(
                Pulled(
                    delivery: job.delivery, event: job.event, payload: payload,
                    signature: Webhooks.signature(payload: payload, secret: job.secret, timestamp: Self.wall)))
        }
        return pulled
    }

    /// The listener tells what the application answered: 2xx is done, anything else (0: not
    /// reachable) is retried on the schedule of every endpoint.
    public func report(_ id: String, delivery deliveryID: String, status: Int, error: String?, account: String)
        async throws -> (WebhookDelivery, DeliveryAttempts.Outcome)
    {
        let session = try await Objects(store: store).load(.listenSession, id, account: account)
        guard !session.deleted else { throw Resource.listenSession.noSuch(id) }
        guard let delivery = try await store.delivery(deliveryID), delivery.endpoint == id else {
            throw JunctionError.noSuch("delivery", deliveryID, param: "delivery")
        }
        guard delivery.status == .pending else {
            throw JunctionError.invalid(
                "Delivery \(deliveryID) is already \(delivery.status.rawValue); its result was reported before.",
                param: "delivery")
        }
        let outcome = try await DeliveryAttempts(store: store, clock: clock).record(
            delivery, status: status == 0 ? nil : status, error: error ?? (status == 0 ? "not reachable" : nil))
        return (delivery, outcome)
    }

    /// Ends a session (Ctrl-C): nothing more is queued for it, and its pending deliveries fail.
    public func delete(_ id: String, account: String) async throws {
        try await store.write { tx in
            var session = try await tx.require(.listenSession, id, account: account)
            session.deleted = true
            try await tx.update(session)
        }
        try await store.abandonDeliveries(endpoint: id, reason: "listen session ended", now: clock.now())
    }
}
