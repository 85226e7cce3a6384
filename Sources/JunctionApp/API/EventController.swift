import ConnectModel
import Hummingbird
import StripeForm

/// `GET /v1/events` and `GET /v1/events/{id}`.
///
/// A caller sees the events of the account it acts as. A platform or extension acting as
/// itself also sees the `account.application.*` events about it, on the accounts it was
/// connected to, so a disconnection stays visible after the connection is gone.
struct EventController: Sendable {
    let dependencies: Dependencies

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(dependencies: dependencies)
        endpoint.add(.get, "/v1/events", to: router, Self.listSchema, list)
        endpoint.add(.get, "/v1/events/:id", to: router, CommonParams.expandOnly, retrieve)
    }

    static let listSchema = CommonParams.list([
        "type": ParamSpec(.string(maxLength: 200)),
        "types": ParamSpec(.array(.string(maxLength: 200), maxCount: 20)),
        "delivery_success": ParamSpec(.boolean),
    ])

    /// The account the caller reads events as, and the application whose events it also sees.
    private func scope(_ call: APICall) -> (account: String, application: String?) {
        if let acting = call.stripeAccount, acting != call.principal.account.id { return (acting, nil) }
        return (call.principal.account.id, call.principal.listingApplication?.id)
    }

    @Sendable func list(_ call: APICall) async throws -> APIResult {
        let (account, application) = scope(call)
        var types = call.params["types"]?.array?.compactMap(\.string) ?? []
        if let type = call.params["type"]?.string {
            guard types.isEmpty else {
                throw JunctionError.invalid(
                    "You may only specify one of these parameters: type, types.", param: "types")
            }
            types = [type]
        }
        let filter = EventFilter(types: types, deliverySuccess: call.params["delivery_success"]?.boolean)
        let page = try await dependencies.store.events(
            account: account, application: application, filter: filter, page: try call.page())
        let pending = try await dependencies.store.pendingDeliveries(of: page.items.map(\.id))
        let viewer = call.principal.eventViewer
        return APIResult(
            body: ListEnvelope.list(
                page.map {
                    $0.rendered(
                        for: viewer, viewerApplication: call.principal.application?.id,
                        pendingWebhooks: pending[$0.id] ?? 0, version: call.acting.version)
                }, url: "/v1/events"))
    }

    @Sendable func retrieve(_ call: APICall) async throws -> APIResult {
        let id = try call.path()
        let (account, application) = scope(call)
        guard let event = try await dependencies.store.event(id),
            event.account == account || (application != nil && event.application == application)
        else { throw JunctionError.noSuch("event", id) }
        let pending = try await dependencies.store.pendingDeliveries(of: [event.id])[event.id] ?? 0
        return APIResult(
            body: event.rendered(
                for: call.principal.eventViewer, viewerApplication: call.principal.application?.id,
                pendingWebhooks: pending, version: call.acting.version))
    }
}
