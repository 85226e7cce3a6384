import ConnectModel
import Hummingbird
import StripeForm

/// `/v1/webhook_endpoints` (E2): where an account's events, and with `connect=true` the events of
/// the accounts connected to its application, are delivered.
struct WebhookEndpointController: Sendable {
    let dependencies: Dependencies

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(dependencies: dependencies)
        let handlers = ResourceHandlers(dependencies: dependencies)
        endpoint.add(.post, "/v1/webhook_endpoints", to: router, Self.create, create)
        endpoint.add(.get, "/v1/webhook_endpoints", to: router, CommonParams.list(), handlers.list(.webhookEndpoint))
        endpoint.add(
            .get, "/v1/webhook_endpoints/:id", to: router, CommonParams.expandOnly, handlers.retrieve(.webhookEndpoint))
        endpoint.add(.post, "/v1/webhook_endpoints/:id", to: router, Self.update, update)
        endpoint.add(
            .delete, "/v1/webhook_endpoints/:id", to: router, ParamSchema([:]), handlers.delete(.webhookEndpoint))
    }

    static let events = ParamSpec(.array(.string(maxLength: 100), maxCount: 300))
    static let fields: [String: ParamSpec] = [
        "url": ParamSpec(.string(maxLength: 5000)),
        "enabled_events": events,
        "description": ParamSpec(.string(maxLength: 5000), unsettable: true),
        "metadata": CommonParams.metadata,
        "expand": ParamSchema.expand,
    ]
    static let create = ParamSchema(
        fields.merging([
            "url": ParamSpec(.string(maxLength: 5000), required: true),
            "enabled_events": ParamSpec(events.type, required: true),
            "connect": ParamSpec(.boolean),
            "api_version": ParamSpec(.string(maxLength: 50)),
        ]) { $1 })
    static let update = ParamSchema(fields.merging(["disabled": ParamSpec(.boolean)]) { $1 })

    @Sendable func create(_ call: APICall) async throws -> APIResult {
        let params = call.params
        let (endpoint, secret) = try await dependencies.webhookEndpoints.create(
            url: params["url"]?.string ?? "", enabledEvents: Self.strings(params["enabled_events"]),
            connect: params["connect"]?.boolean ?? false, apiVersion: params["api_version"]?.string,
            fields: call.patch(leaving: ["url", "enabled_events", "connect", "api_version"]), caller: call.caller)
        var shown = endpoint.publicDocument
        shown["secret"] = .string(secret)  // shown once, here
        return APIResult(body: shown)
    }

    @Sendable func update(_ call: APICall) async throws -> APIResult {
        let params = call.params
        return APIResult(
            try await dependencies.webhookEndpoints.update(
                try call.path(), url: params["url"]?.string,
                enabledEvents: params["enabled_events"].map(Self.strings), disabled: params["disabled"]?.boolean,
                fields: call.patch(leaving: ["disabled", "url", "enabled_events"]), caller: call.caller))
    }

    static func strings(_ value: ParamValue?) -> [String] {
        value?.array?.compactMap(\.string) ?? []
    }
}
