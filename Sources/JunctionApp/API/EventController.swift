import ConnectModel
import Hummingbird
import JunctionStorage
import StripeForm

/// `GET /v1/events` and `GET /v1/events/{id}`.
///
/// A caller sees the events of the account it acts as. A platform or extension acting as
/// itself also sees the `account.application.*` events about it, on the accounts it was
/// connected to, so a disconnection stays visible after the connection is gone.
struct EventController: Sendable {
    let services: JunctionServices

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(services: services)
        endpoint.add(.get, "/v1/events", to: router, Self.listSchema, list)
        endpoint.add(.get, "/v1/events/:id", to: router, ParamSchema(["expand": ParamSchema.expand]), retrieve)
    }

    static let listSchema = ParamSchema(
        ParamSchema.listFields.merging([
            "type": ParamSpec(.string(maxLength: 200)),
            "types": ParamSpec(.array(.string(maxLength: 200), maxCount: 20)),
            "created": ParamSpec(.oneOf([.integer(min: 0), AccountParams.createdRange])),
        ]) { $1 })

    /// The account the caller reads events as, and the application whose events it also sees.
    private func scope(_ call: APICall) -> (account: String, application: String?) {
        if let acting = call.stripeAccount, acting != call.principal.account.id { return (acting, nil) }
        return (call.principal.account.id, call.principal.listingApplication?.id)
    }

    /// Who reads: the application's own account when it acts on a connected one, so events that
    /// happened there carry `account` (E1); the account itself otherwise.
    private func viewer(_ call: APICall) -> String {
        if call.principal.connection != nil, let application = call.principal.application { return application.account }
        return call.principal.account.id
    }

    @Sendable func list(_ call: APICall) async throws -> APIResult {
        let (account, application) = scope(call)
        let viewer = viewer(call)
        var types = call.params["types"]?.array?.compactMap(\.string) ?? []
        if let type = call.params["type"]?.string {
            guard types.isEmpty else {
                throw StripeError(
                    status: .badRequest, message: "You may only specify one of these parameters: type, types.",
                    param: "types")
            }
            types = [type]
        }
        let page = try await services.store.events(
            account: account, application: application, types: types,
            created: AccountParams.createdFilter(call.params["created"]), limit: call.params["limit"]?.integer ?? 10,
            cursor: try ListCursor.from(call.params))
        let pending = try await services.store.pendingDeliveries(of: page.items.map(\.id))
        return APIResult(
            body: ListCursor.list(
                page.items.map { $0.rendered(for: viewer, pendingWebhooks: pending[$0.id] ?? 0) },
                hasMore: page.hasMore,
                url: "/v1/events"))
    }

    @Sendable func retrieve(_ call: APICall) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let (account, application) = scope(call)
        guard let event = try await services.store.event(id),
            event.account == account || (application != nil && event.application == application)
        else { throw ConnectError.noSuch("event", id) }
        let pending = try await services.store.pendingDeliveries(of: [event.id])[event.id] ?? 0
        return APIResult(body: event.rendered(for: viewer(call), pendingWebhooks: pending))
    }
}
