import ConnectModel
import JunctionStorage

/// Reading, changing and deleting the objects accounts own, the same way for every resource,
/// with the events its descriptor names.
public struct Objects: Sendable {
    let store: any ObjectStore

    public init(store: any ObjectStore) {
        self.store = store
    }

    /// `id` if `account` owns one of `resource`'s kind, deleted or not; else 404 (A6).
    public func load(_ resource: Resource, _ id: String, account: String, param: String = "id") async throws
        -> StoredObject
    {
        guard let object = try await store.object(id, account: account), object.kind == resource.kind else {
            throw resource.noSuch(id, param: param)
        }
        return object
    }

    /// The object as clients see it; a deleted one as `{id, object, deleted: true}` where the
    /// resource keeps them (customers, products), else 404.
    public func retrieve(_ resource: Resource, _ id: String, account: String) async throws -> JSONValue {
        let object = try await load(resource, id, account: account)
        guard object.deleted else { return object.publicDocument }
        guard resource.retrievableWhenDeleted else { throw resource.noSuch(id) }
        return resource.deletedStub(id)
    }

    /// A page of `account`'s live objects of `resource`'s kind, newest first.
    public func list(_ resource: Resource, account: String, filter: ObjectFilter = ObjectFilter(), page: PageRequest)
        async throws -> Page<StoredObject>
    {
        try await store.objects(account: account, kind: resource.kind, filter: filter, page: page)
    }

    /// Patches an object with the fields every object takes (`metadata`, `description`, …) and
    /// emits its `updated` event.
    public func update(
        _ resource: Resource, _ id: String, patch: JSONValue, caller: Caller,
        adjust: @escaping @Sendable (inout StoredObject, any ObjectTransaction) async throws -> Void = { _, _ in }
    ) async throws -> StoredObject {
        try await store.write { tx in
            try await tx.patch(resource, id, with: patch, caller: caller) { try await adjust(&$0, tx) }
        }
    }

    /// Deletes an object (it stays, marked deleted) and emits its `deleted` event; answers the
    /// `deleted: true` stub.
    public func delete(
        _ resource: Resource, _ id: String, caller: Caller,
        check: @escaping @Sendable (StoredObject, any ObjectTransaction) async throws -> Void = { _, _ in }
    ) async throws -> JSONValue {
        try await store.write { tx in
            try await check(try await tx.require(resource, id, account: caller.account), tx)
            _ = try await tx.delete(resource, id, caller: caller)
        }
        return resource.deletedStub(id)
    }
}
