import ConnectModel
import Foundation
import JunctionStorage
import NIOCore
import NIOPosix

/// `/v1/webhook_endpoints` (E2): where an account's events, and with `connect=true` the events of
/// the accounts connected to its application, are delivered.
public struct WebhookEndpoints: Sendable {
    let store: any ObjectStore
    let destinations: WebhookDestinations

    public init(store: any ObjectStore, destinations: WebhookDestinations = .any) {
        self.store = store
        self.destinations = destinations
    }

    /// A new endpoint, and its signing secret: shown once, here, and kept for signing (it cannot
    /// be a hash).
    public func create(
        url: String, enabledEvents: [String], connect: Bool, apiVersion: String?, fields: JSONValue, caller: Caller
    ) async throws -> (endpoint: StoredObject, secret: String) {
        let url = try Self.validURL(url)
        try await check(url)
        let events = try Self.validEvents(enabledEvents)
        // Its events are rendered at this version; Stripe refuses one it never released.
        let version = try apiVersion.map { text throws(JunctionError) in
            guard let version = APIVersion(named: text) else { throw .unknownVersion(text, param: "api_version") }
            return version.description
        }
        let id = Resource.webhookEndpoint.newID()
        let secret = Identifiers.secret("whsec_")
        var document: JSONValue = [
            "id": .string(id), "object": "webhook_endpoint", "api_version": JSONValue(version),
            // An application acting on a connected account owns what it plants there: revoking
            // it disables the endpoint (M3 of the security review), as `application` shows.
            "application": caller.application.map { .string($0.id) } ?? nil, "created": .int(caller.now),
            "description": nil,
            "enabled_events": .array(events.map(JSONValue.string)),
            "livemode": false, "metadata": [:], "status": JSONValue(WebhookEndpointStatus.enabled),
            "url": .string(url), PrivateField.secret: .string(secret),
        ]
        if connect { document["connect"] = true }
        let endpoint = StoredObject(
            id: id, account: caller.account, kind: .webhookEndpoint, created: caller.now,
            document: document.patched(with: fields))
        try await store.write { tx in try await tx.insert(endpoint) }
        return (endpoint, secret)
    }

    /// `POST /v1/webhook_endpoints/{id}`: `disabled` turns deliveries off (pending ones fail).
    public func update(
        _ id: String, url: String?, enabledEvents: [String]?, disabled: Bool?, fields: JSONValue, caller: Caller
    ) async throws -> StoredObject {
        var patch = fields.objectValue ?? [:]
        if let url {
            patch["url"] = .string(try Self.validURL(url))
            try await check(url)
        }
        if let enabledEvents {
            patch["enabled_events"] = .array(try Self.validEvents(enabledEvents).map(JSONValue.string))
        }
        if let disabled {
            patch["status"] = JSONValue(disabled ? WebhookEndpointStatus.disabled : .enabled)
        }
        let final = JSONValue.object(patch)
        return try await store.write { tx in try await tx.patch(.webhookEndpoint, id, with: final, caller: caller) }
    }

    /// With `--webhook-destinations public`, a URL whose host is, or resolves to, an internal
    /// address is refused. Deliveries check again: a name may resolve elsewhere by then.
    public func check(_ url: String) async throws {
        guard destinations == .public else { return }
        let refusal = JunctionError.invalid(
            "Webhook endpoints on this Junction must point at public addresses: \(url) is on this machine or a private network.",
            param: "url", code: "url_invalid")
        guard let named = URLComponents(string: url)?.host, !named.isEmpty else { throw refusal }
        let host = named.trimmingCharacters(in: ["[", "]"])
        if WebhookDestinations.isLocalName(host) || WebhookDestinations.isInternal(address: host) { throw refusal }
        let resolved = try? await NIOThreadPool.singleton.runIfActive {
            try SocketAddress.makeAddressResolvingHost(host, port: 80).ipAddress
        }
        if let resolved, WebhookDestinations.isInternal(address: resolved) { throw refusal }
    }

    static func validURL(_ text: String) throws(JunctionError) -> String {
        guard let scheme = text.split(separator: ":").first?.lowercased(), scheme == "http" || scheme == "https",
            text.contains("://")
        else {
            throw .invalid("Invalid URL: \(text). Webhook endpoints need an http or https URL.", param: "url")
        }
        return text
    }

    /// `enabled_events`: `*` or event types Stripe knows.
    public static func validEvents(_ events: [String]) throws(JunctionError) -> [String] {
        guard !events.isEmpty else { throw .missing("enabled_events") }
        for (index, event) in events.enumerated() where event != "*" && !EventTypes.known.contains(event) {
            throw .invalid(
                "Invalid event type: \(event). Use * or one of Stripe's event types.", param: "enabled_events[\(index)]"
            )
        }
        return events
    }
}
