import ConnectModel
import JunctionStorage

/// What every operation inside a transaction does with objects: find them by descriptor, store
/// them with their events, patch them.
extension ObjectTransaction {
    /// The live object `id` of `resource`'s kind that `account` owns, locked for the transaction,
    /// or 404 in Stripe's words (A6: another account's object does not exist here).
    public func require(_ resource: Resource, _ id: String, account: String, param: String = "id") async throws
        -> StoredObject
    {
        guard let object = try await self.object(id, account: account), object.kind == resource.kind,
            !object.deleted
        else {
            throw resource.noSuch(id, param: param)
        }
        return object
    }

    /// Emits `type` about `object` (its public form) on `caller`'s account (E1).
    public func emit(_ type: EventType, _ object: JSONValue, caller: Caller, account: String? = nil) async throws {
        try await emit(
            Event(
                type, account: account ?? caller.account, created: caller.now, object: object.withoutPrivateFields,
                request: caller.request))
    }

    /// Inserts a new object and emits its resource's `created` event.
    public func create(_ object: StoredObject, caller: Caller) async throws {
        try await insert(object)
        if let created = object.resource.events.created {
            try await emit(created, object.document, caller: caller, account: object.account)
        }
    }

    /// Stores a changed object and emits `event` with `previous_attributes` against `before`
    /// (its document before the change), when anything a client sees changed (E1).
    public func update(_ object: StoredObject, emitting event: EventType?, since before: JSONValue, caller: Caller)
        async throws
    {
        try await update(object)
        guard let event else { return }
        let after = object.publicDocument
        if let previous = after.previousAttributes(before: before.withoutPrivateFields) {
            try await emit(
                Event(
                    event, account: object.account, created: caller.now, object: after, previousAttributes: previous,
                    request: caller.request))
        }
    }

    /// Applies a parameter patch to an object and emits its resource's `updated` event with
    /// `previous_attributes` when anything changed. `adjust` runs after the patch (derived
    /// fields, checks).
    public func patch(
        _ resource: Resource, _ id: String, with patch: JSONValue, caller: Caller,
        adjust: (inout StoredObject) async throws -> Void = { _ in }
    ) async throws -> StoredObject {
        var object = try await require(resource, id, account: caller.account)
        let before = object.document
        object.document = object.document.patched(with: patch)
        try await adjust(&object)
        try await update(object, emitting: resource.events.updated, since: before, caller: caller)
        return object
    }

    /// Marks an object deleted and emits its resource's `deleted` event.
    public func delete(_ resource: Resource, _ id: String, caller: Caller) async throws -> StoredObject {
        var object = try await require(resource, id, account: caller.account)
        object.deleted = true
        try await update(object)
        if let deleted = resource.events.deleted { try await emit(deleted, object.document, caller: caller) }
        return object
    }
}
