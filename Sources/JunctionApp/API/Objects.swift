import ConnectModel
import JunctionStorage

/// What every resource controller does with the objects an account owns.
extension JunctionServices {
    /// A page of the acting account's objects of `type`, in the list envelope. `limit`, the
    /// cursors and `created` come from the call; `filter` adds the resource's own filters.
    func listObjects(_ call: APICall, type: String, url: String, filter: ObjectFilter = ObjectFilter()) async throws
        -> APIResult
    {
        var filter = filter
        filter.created = AccountParams.createdFilter(call.params["created"])
        let page = try await store.objects(
            account: call.actingAccount, type: type, filter: filter, limit: call.params["limit"]?.integer ?? 10,
            cursor: try ListCursor.from(call.params))
        return APIResult(body: ListCursor.list(page.items.map(\.publicDocument), hasMore: page.hasMore, url: url))
    }

    /// An object of `account`, or 404 in Stripe's words (A6: another account's object does not
    /// exist here).
    func loadObject(_ id: String, type: String, noun: String, account: String, param: String = "id") async throws
        -> StoredObject
    {
        guard let object = try await store.object(id, account: account), object.type == type else {
            throw ConnectError.noSuch(noun, id, param: param)
        }
        return object
    }

    /// `GET /v1/<resource>/{id}`: the acting account's object as clients see it.
    func retrieveObject(_ call: APICall, type: String, noun: String) async throws -> APIResult {
        APIResult(
            body: try await loadObject(
                try call.context.parameters.require("id"), type: type, noun: noun, account: call.actingAccount
            ).publicDocument)
    }

    /// `POST /v1/<resource>/{id}` for the fields every object takes (`metadata`, `description`…):
    /// patches the object and emits `event` with `previous_attributes`.
    func updateObject(
        _ call: APICall, type: String, noun: String, event: String?,
        adjust: @escaping @Sendable (inout StoredObject) async throws -> Void = { _ in }
    ) async throws -> APIResult {
        let id = try call.context.parameters.require("id")
        let account = call.actingAccount
        let patch = ObjectParams.patch(call.params)
        let now = clock.now()
        let request = call.requestInfo
        let updated = try await store.write { tx in
            try await tx.patch(
                id, type: type, noun: noun, account: account, with: patch, event: event, now: now, request: request,
                adjust: adjust)
        }
        return APIResult(body: updated.publicDocument)
    }
}

extension ObjectTransaction {
    /// The live object `id` of `type` that `account` owns, locked for the transaction, or 404 in
    /// Stripe's words: the transactional twin of ``JunctionServices/loadObject(_:type:noun:account:param:)``.
    func require(_ id: String, type: String, noun: String, account: String, param: String = "id") async throws
        -> StoredObject
    {
        guard let object = try await self.object(id, account: account), object.type == type, !object.deleted else {
            throw ConnectError.noSuch(noun, id, param: param)
        }
        return object
    }

    /// Applies a parameter patch to an object and emits `event` with `previous_attributes` when
    /// anything changed. `adjust` runs after the patch (derived fields, checks).
    func patch(
        _ id: String, type: String, noun: String, account: String, with patch: JSONValue, event: String?, now: Int,
        request: RequestInfo, adjust: (inout StoredObject) async throws -> Void = { _ in }
    ) async throws -> StoredObject {
        var object = try await require(id, type: type, noun: noun, account: account)
        let before = object.document
        object.document = object.document.patched(with: patch)
        try await adjust(&object)
        guard let event else {
            try await update(object)
            return object
        }
        try await update(object, emitting: event, since: before, now: now, request: request)
        return object
    }

    /// Stores a changed object and emits `event` with `previous_attributes` against `before` (its
    /// document before the change), when anything a client sees changed (E1).
    func update(_ object: StoredObject, emitting event: String, since before: JSONValue, now: Int, request: RequestInfo)
        async throws
    {
        try await update(object)
        let after = object.publicDocument
        if let previous = after.previousAttributes(before: before.withoutPrivateFields) {
            try await emit(
                Event(
                    type: event, account: object.account, created: now, object: after, previousAttributes: previous,
                    request: request))
        }
    }
}
