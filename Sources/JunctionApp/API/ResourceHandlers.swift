import ConnectModel
import JunctionDomain
import StripeForm

/// The handlers every resource has — retrieve, update, delete, list — built from its descriptor.
struct ResourceHandlers: Sendable {
    let dependencies: Dependencies

    typealias Handler = @Sendable (APICall) async throws -> APIResult

    /// `GET /v1/<resource>/{id}`.
    func retrieve(_ resource: Resource) -> Handler {
        { call in
            APIResult(
                body: try await dependencies.objects.retrieve(resource, try call.path(), account: call.actingAccount))
        }
    }

    /// `POST /v1/<resource>/{id}` for the fields every object takes (`metadata`, `description`…),
    /// with the resource's `updated` event.
    func update(_ resource: Resource) -> Handler {
        { call in
            APIResult(
                try await dependencies.objects.update(
                    resource, try call.path(), patch: call.patch(), caller: call.caller))
        }
    }

    /// `DELETE /v1/<resource>/{id}`.
    func delete(_ resource: Resource) -> Handler {
        { call in
            APIResult(body: try await dependencies.objects.delete(resource, try call.path(), caller: call.caller))
        }
    }

    /// `GET /v1/<resource>`: newest first, with the resource's own filters from `filter`.
    func list(_ resource: Resource, filter: @escaping @Sendable (Params) -> ObjectFilter = { _ in ObjectFilter() })
        -> Handler
    {
        { call in
            let page = try await dependencies.objects.list(
                resource, account: call.actingAccount, filter: filter(call.params), page: try call.page())
            return APIResult(body: ListEnvelope.list(page, url: resource.path))
        }
    }
}
