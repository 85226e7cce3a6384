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
        let before = object.publicDocument
        object.document = object.document.patched(with: patch)
        try await adjust(&object)
        try await update(object)
        if let event, let previous = object.publicDocument.previousAttributes(before: before) {
            try await emit(
                Event(
                    type: event, account: account, created: now, object: object.publicDocument,
                    previousAttributes: previous,
                    request: request))
        }
        return object
    }
}
