import ConnectModel
import Hummingbird
import JunctionDomain
import ServiceLifecycle
import StripeForm

/// `/v1/stripecli/sessions`: what `junction listen` talks to (E2); see ``ListenSessions``.
struct ListenSessionController: Sendable {
    let dependencies: Dependencies
    var sessions: ListenSessions { dependencies.listenSessions }

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(dependencies: dependencies)
        endpoint.add(.post, "/v1/stripecli/sessions", to: router, Self.create, create)
        endpoint.add(.post, "/v1/stripecli/sessions/:id/poll", to: router, Self.poll, poll)
        endpoint.add(.post, "/v1/stripecli/sessions/:id/deliveries/:delivery", to: router, Self.report, report)
        endpoint.add(.delete, "/v1/stripecli/sessions/:id", to: router, ParamSchema([:]), delete)
    }

    static let create = ParamSchema([
        "enabled_events": WebhookEndpointController.events,
        "device_name": ParamSpec(.string(maxLength: 200)),
    ])
    static let poll = ParamSchema(["wait": ParamSpec(.integer(min: 0, max: ListenSessions.maxWait))])
    static let report = ParamSchema([
        "status": ParamSpec(.integer(min: 0, max: 599), required: true),
        "error": ParamSpec(.string(maxLength: 1000)),
    ])

    @Sendable func create(_ call: APICall) async throws -> APIResult {
        let (session, secret) = try await sessions.create(
            enabledEvents: call.params["enabled_events"].map(WebhookEndpointController.strings),
            deviceName: call.params["device_name"]?.string, caller: call.caller)
        var shown = session.publicDocument
        // The listener signs nothing itself: the secret is for the application it forwards to.
        shown["secret"] = .string(secret)
        shown["account"] = .string(call.actingAccount)
        return APIResult(body: shown)
    }

    /// Waits for due deliveries and returns each with its payload and `Stripe-Signature`, as the
    /// listener is to forward them.
    @Sendable func poll(_ call: APICall) async throws -> APIResult {
        let id = try call.path()
        let pulled = try await sessions.poll(
            id, wait: call.params["wait"]?.integer ?? 20, account: call.actingAccount,
            stopping: { Task.isShuttingDownGracefully })
        let data: [JSONValue] = pulled.map { item in
            [
                "id": .string(item.delivery.id), "object": "stripecli.delivery", "event": .string(item.event.id),
                "type": .string(item.event.type.rawValue),
                "account": JSONValue(item.event.account == call.actingAccount ? nil : item.event.account),
                "attempt": .int(item.delivery.attempts + 1),
                "payload": .string(String(decoding: item.payload, as: UTF8.self)),
                "signature": .string(item.signature),
            ]
        }
        return APIResult(body: ListEnvelope.list(data, url: "\(Resource.listenSession.path)/\(id)/poll"))
    }

    /// The listener reports what the application answered.
    @Sendable func report(_ call: APICall) async throws -> APIResult {
        let (delivery, outcome) = try await sessions.report(
            try call.path(), delivery: try call.path("delivery"), status: call.params["status"]?.integer ?? 0,
            error: call.params["error"]?.string, account: call.actingAccount)
        return APIResult(body: [
            "id": .string(delivery.id), "object": "stripecli.delivery", "status": .string(outcome.status.rawValue),
            "attempts": .int(outcome.attempts), "next_attempt_at": JSONValue(outcome.nextAttemptAt),
        ])
    }

    @Sendable func delete(_ call: APICall) async throws -> APIResult {
        let id = try call.path()
        try await sessions.delete(id, account: call.actingAccount)
        return APIResult(body: ["id": .string(id), "object": "stripecli.session", "deleted": true])
    }
}
