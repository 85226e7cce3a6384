import ConnectModel
import Hummingbird
import JunctionStorage
import StripeForm

/// `/v1/webhook_endpoints` (E2): where an account's events, and with `connect=true` the events of
/// the accounts connected to its application, are delivered.
struct WebhookEndpointController: Sendable {
    let services: JunctionServices

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(services: services)
        endpoint.add(.post, "/v1/webhook_endpoints", to: router, Self.create, create)
        endpoint.add(.get, "/v1/webhook_endpoints", to: router, ObjectParams.list(), list)
        endpoint.add(.get, "/v1/webhook_endpoints/:id", to: router, ObjectParams.expandOnly, retrieve)
        endpoint.add(.post, "/v1/webhook_endpoints/:id", to: router, Self.update, update)
        endpoint.add(.delete, "/v1/webhook_endpoints/:id", to: router, ParamSchema([:]), delete)
    }

    static let fields: [String: ParamSpec] = [
        "url": ParamSpec(.string(maxLength: 5000)),
        "enabled_events": ParamSpec(.array(.string(maxLength: 100), maxCount: 300)),
        "description": ParamSpec(.string(maxLength: 5000), unsettable: true),
        "metadata": ParamSpec(.metadata, unsettable: true),
        "expand": ParamSchema.expand,
    ]
    static let create = ParamSchema(
        fields.merging([
            "url": ParamSpec(.string(maxLength: 5000), required: true),
            "enabled_events": ParamSpec(.array(.string(maxLength: 100), maxCount: 300), required: true),
            "connect": ParamSpec(.boolean),
            "api_version": ParamSpec(.string(maxLength: 50)),
        ]) { $1 })
    static let update = ParamSchema(fields.merging(["disabled": ParamSpec(.boolean)]) { $1 })

    @Sendable func create(_ call: APICall) async throws -> APIResult {
        let params = call.params
        let url = try Self.url(params["url"]?.string ?? "")
        let events = try Self.events(params["enabled_events"])
        let now = services.clock.now()
        let id = Identifiers.make("we")
        let secret = Identifiers.secret("whsec_")
        let connect = params["connect"]?.boolean ?? false
        var document: JSONValue = [
            "id": .string(id), "object": "webhook_endpoint", "api_version": JSONValue(params["api_version"]?.string),
            "application": nil, "created": .int(now), "description": nil,
            "enabled_events": .array(events.map(JSONValue.string)),
            "livemode": false, "metadata": [:], "status": "enabled", "url": .string(url),
            // The signing secret: shown once, below, and kept for signing (it cannot be a hash).
            "_secret": .string(secret),
        ]
        if connect { document["connect"] = true }
        document = document.patched(
            with: ObjectParams.patch(params, leaving: ["url", "enabled_events", "connect", "api_version"]))
        let endpoint = StoredObject(
            id: id, account: call.actingAccount, type: "webhook_endpoint", lookup: connect ? "connect" : "account",
            created: now,
            document: document)
        try await services.store.write { tx in try await tx.insert(endpoint) }
        var shown = endpoint.publicDocument
        shown["secret"] = .string(secret)
        return APIResult(body: shown)
    }

    @Sendable func retrieve(_ call: APICall) async throws -> APIResult {
        try await services.retrieveObject(call, type: "webhook_endpoint", noun: "webhook endpoint")
    }

    @Sendable func update(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let context = Payments.context(call, now: services.clock.now())
        let params = call.params
        var patch = ObjectParams.patch(params, leaving: ["disabled"])
        if let url = params["url"]?.string { patch["url"] = .string(try Self.url(url)) }
        if params["enabled_events"] != nil {
            patch["enabled_events"] = .array(try Self.events(params["enabled_events"]).map(JSONValue.string))
        }
        if let disabled = params["disabled"]?.boolean { patch["status"] = disabled ? "disabled" : "enabled" }
        let final = patch
        let endpoint = try await services.store.write { tx in
            try await tx.patch(
                id, type: "webhook_endpoint", noun: "webhook endpoint", account: context.account, with: final,
                event: nil,
                now: context.now, request: context.request)
        }
        return APIResult(body: endpoint.publicDocument)
    }

    @Sendable func delete(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let account = call.actingAccount
        try await services.store.write { tx in
            var endpoint = try await tx.require(
                id, type: "webhook_endpoint", noun: "webhook endpoint", account: account)
            endpoint.deleted = true
            try await tx.update(endpoint)
        }
        return APIResult(body: ["id": .string(id), "object": "webhook_endpoint", "deleted": true])
    }

    @Sendable func list(_ call: APICall) async throws -> APIResult {
        try await services.listObjects(call, type: "webhook_endpoint", url: "/v1/webhook_endpoints")
    }

    static func url(_ text: String) throws -> String {
        guard let scheme = text.split(separator: ":").first?.lowercased(), scheme == "http" || scheme == "https",
            text.contains("://")
        else {
            throw ConnectError.invalid(
                "Invalid URL: \(text). Webhook endpoints need an http or https URL.", param: "url")
        }
        return text
    }

    /// `enabled_events`: `*` or event types Stripe knows.
    static func events(_ value: ParamValue?) throws -> [String] {
        let events = value?.array?.compactMap(\.string) ?? []
        guard !events.isEmpty else { throw ConnectError.missing("enabled_events") }
        for (index, event) in events.enumerated() where event != "*" && !EventTypes.known.contains(event) {
            throw ConnectError.invalid(
                "Invalid event type: \(event). Use * or one of Stripe's event types.", param: "enabled_events[\(index)]"
            )
        }
        return events
    }
}
