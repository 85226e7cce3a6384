import ConnectModel
import Foundation
import Hummingbird
import JunctionStorage
import ServiceLifecycle
import StripeForm

/// `/v1/stripecli/sessions`: what `junction listen` talks to (E2). A session is an endpoint
/// without a URL: it receives the events of the acting account and of the accounts connected to
/// its application, like an account endpoint and a connect endpoint together, and its listener
/// pulls them (long polling) instead of Junction pushing them, so no public URL is needed. The
/// deliveries are the same rows as any endpoint's: signed, retried on the clock, never lost.
struct ListenSessionController: Sendable {
    let services: JunctionServices
    /// A session whose listener has not polled for this long (wall-clock seconds) ends.
    static let idleLimit = 60
    /// The longest a poll waits for events.
    static let maxWait = 25

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(services: services)
        endpoint.add(.post, "/v1/stripecli/sessions", to: router, Self.create, create)
        endpoint.add(.post, "/v1/stripecli/sessions/:id/poll", to: router, Self.poll, poll)
        endpoint.add(.post, "/v1/stripecli/sessions/:id/deliveries/:delivery", to: router, Self.report, report)
        endpoint.add(.delete, "/v1/stripecli/sessions/:id", to: router, ParamSchema([:]), delete)
    }

    static let create = ParamSchema([
        "enabled_events": ParamSpec(.array(.string(maxLength: 100), maxCount: 300)),
        "device_name": ParamSpec(.string(maxLength: 200)),
    ])
    static let poll = ParamSchema(["wait": ParamSpec(.integer(min: 0, max: maxWait))])
    static let report = ParamSchema([
        "status": ParamSpec(.integer(min: 0, max: 599), required: true),
        "error": ParamSpec(.string(maxLength: 1000)),
    ])

    static var wall: Int { Int(Date().timeIntervalSince1970) }

    @Sendable func create(_ call: APICall) async throws -> APIResult {
        let events =
            call.params["enabled_events"] == nil
            ? ["*"] : try WebhookEndpointController.events(call.params["enabled_events"])
        let now = services.clock.now()
        let id = Identifiers.make("clis")
        let secret = Identifiers.secret("whsec_")
        let session = StoredObject(
            id: id, account: call.actingAccount, type: "listen_session", lookup: "listen", created: now,
            document: [
                "id": .string(id), "object": "stripecli.session", "created": .int(now),
                "enabled_events": .array(events.map(JSONValue.string)), "status": "enabled",
                "device_name": JSONValue(call.params["device_name"]?.string),
                "_secret": .string(secret), "_expires_at": .int(Self.wall + Self.idleLimit),
            ])
        try await services.store.write { tx in try await tx.insert(session) }
        var shown = session.publicDocument
        // The listener signs nothing itself: the secret is for the application it forwards to.
        shown["secret"] = .string(secret)
        shown["account"] = .string(call.actingAccount)
        return APIResult(body: shown)
    }

    /// Waits up to `wait` seconds for due deliveries, claims them and returns each with its
    /// payload and `Stripe-Signature`, as the listener is to forward them.
    @Sendable func poll(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let account = call.actingAccount
        let wait = call.params["wait"]?.integer ?? 20
        // Polling keeps the session alive for the wait and the idle limit after it.
        try await services.store.write { tx in
            var session = try await tx.require(id, type: "listen_session", noun: "listen session", account: account)
            session.document["_expires_at"] = .int(Self.wall + wait + Self.idleLimit)
            try await tx.update(session)
        }
        let deadline = ContinuousClock.now + .seconds(wait)
        var jobs: [DeliveryJob] = []
        while true {
            jobs = try await services.store.claimDeliveries(
                now: services.clock.now(), limit: 20, lease: DeliveryWorker.lease, session: id)
            // A stopping server answers at once rather than hold its shutdown for the wait.
            if !jobs.isEmpty || ContinuousClock.now >= deadline || Task.isShuttingDownGracefully { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let pending = try await services.store.pendingDeliveries(of: jobs.map(\.event.id))
        let data: [JSONValue] = jobs.map { job in
            let payload = job.event.rendered(for: job.delivery.owner, pendingWebhooks: pending[job.event.id] ?? 1)
                .serialized()
            return [
                "id": .string(job.delivery.id), "object": "stripecli.delivery", "event": .string(job.event.id),
                "type": .string(job.event.type),
                "account": JSONValue(job.event.account == account ? nil : job.event.account),
                "attempt": .int(job.delivery.attempts + 1),
                "payload": .string(String(decoding: payload, as: UTF8.self)),
                "signature": .string(Webhooks.signature(payload: payload, secret: job.secret, timestamp: Self.wall)),
            ]
        }
        return APIResult(
            body: [
                "object": "list", "data": .array(data), "has_more": false,
                "url": .string("/v1/stripecli/sessions/\(id)/poll"),
            ])
    }

    /// The listener tells what the application answered: 2xx is done, anything else (0: not
    /// reachable) is retried on the schedule of every endpoint.
    @Sendable func report(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let deliveryID = try call.context.parameters.require("delivery")
        let session = try await services.loadObject(
            id, type: "listen_session", noun: "listen session", account: call.actingAccount)
        guard !session.deleted else { throw ConnectError.noSuch("listen session", id) }
        guard let delivery = try await services.store.delivery(deliveryID), delivery.endpoint == id else {
            throw ConnectError.noSuch("delivery", deliveryID, param: "delivery")
        }
        guard delivery.status == "pending" else {
            throw ConnectError.invalid(
                "Delivery \(deliveryID) is already \(delivery.status); its result was reported before.",
                param: "delivery")
        }
        let status = call.params["status"]?.integer ?? 0
        let succeeded = (200..<300).contains(status)
        let now = services.clock.now()
        let attempt = delivery.attempts + 1
        let next = succeeded ? nil : Webhooks.retryDelay(afterAttempt: attempt).map { now + $0 }
        try await services.store.finishDelivery(
            deliveryID, succeeded: succeeded, status: status == 0 ? nil : status,
            error: call.params["error"]?.string ?? (status == 0 ? "not reachable" : nil), nextAttemptAt: next, now: now)
        return APIResult(body: [
            "id": .string(deliveryID), "object": "stripecli.delivery",
            "status": .string(succeeded ? "succeeded" : (next == nil ? "failed" : "pending")),
            "attempts": .int(attempt), "next_attempt_at": JSONValue(next),
        ])
    }

    @Sendable func delete(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let account = call.actingAccount
        try await services.store.write { tx in
            var session = try await tx.require(id, type: "listen_session", noun: "listen session", account: account)
            session.deleted = true
            try await tx.update(session)
        }
        try await services.store.abandonDeliveries(
            endpoint: id, reason: "listen session ended", now: services.clock.now())
        return APIResult(body: ["id": .string(id), "object": "stripecli.session", "deleted": true])
    }
}
