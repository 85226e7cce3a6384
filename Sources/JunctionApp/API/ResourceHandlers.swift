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

    /// `GET /v1/<resource>/{id}/<property>` for a list the object holds (an invoice's `lines`).
    func embeddedList(_ resource: Resource, _ property: String) -> Handler {
        { call in
            let id = try call.path()
            let object = try await dependencies.objects.retrieve(resource, id, account: call.actingAccount)
            guard object["deleted"] != true else { throw resource.noSuch(id) }
            let items = object[property]?["data"]?.arrayItems ?? []
            return APIResult(
                body: try ListEnvelope.page(
                    of: items, request: try call.page(), url: "\(resource.path)/\(id)/\(property)"))
        }
    }

    /// `GET /v1/<resource>/{id}/<property>` for a list Junction keeps nothing in yet (a
    /// customer's `sources`, an account's `external_accounts`): empty, once the object is found.
    func emptyList(_ resource: Resource, _ property: String) -> Handler {
        { call in
            let id = try call.path()
            let object = try await dependencies.objects.retrieve(resource, id, account: call.actingAccount)
            guard object["deleted"] != true else { throw resource.noSuch(id) }
            return APIResult(body: resource.emptyIncludedList(property, of: id))
        }
    }
}
