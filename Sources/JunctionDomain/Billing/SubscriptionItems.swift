import ConnectModel
import JunctionStorage

/// `/v1/subscription_items`: the items of subscriptions, one at a time. Items live in their
/// subscription's document, so every change is a change of the subscription (and its
/// `customer.subscription.updated` event), through ``Subscriptions/update(_:items:cancelAtPeriodEnd:fields:caller:)``.
public struct SubscriptionItems: Sendable {
    let store: any ObjectStore

    public init(store: any ObjectStore) {
        self.store = store
    }

    /// The subscription that holds item `id`, and the item. Items have no row of their own:
    /// the account's subscriptions are read page by page until one holds it.
    public func find(_ id: String, account: String, param: String = "id") async throws -> (StoredObject, JSONValue) {
        var cursor = PageCursor.first
        while true {
            let page = try await store.objects(
                account: account, kind: .subscription, filter: ObjectFilter(),
                page: PageRequest(limit: 100, cursor: cursor))
            for subscription in page.items {
                if let item = Self.items(of: subscription).first(where: { $0["id"]?.stringValue == id }) {
                    return (subscription, item)
                }
            }
            guard page.hasMore, let last = page.items.last else { break }
            cursor = .startingAfter(last.id)
        }
        throw JunctionError.noSuch("subscription item", id, param: param)
    }

    /// `POST /v1/subscription_items`: a new item of `subscription`, billed from its next period.
    public func create(
        subscription: String, price: String, quantity: Int?, metadata: JSONValue?,
        proration: ProrationBehavior = .createProrations, caller: Caller
    ) async throws -> JSONValue {
        let before = Set(
            Self.items(of: try await Objects(store: store).load(.subscription, subscription, account: caller.account))
                .compactMap { $0["id"]?.stringValue })
        let updated = try await Self.naming { [store] in
            try await Subscriptions(store: store).update(
                subscription, items: [.init(price: price, quantity: quantity, metadata: metadata)],
                cancelAtPeriodEnd: nil, fields: [:], proration: proration, caller: caller)
        }
        guard let item = Self.items(of: updated).first(where: { !before.contains($0["id"]?.stringValue ?? "") }) else {
            throw JunctionError.internal("The new subscription item was not kept.")
        }
        return item
    }

    /// `POST /v1/subscription_items/{id}`: price, quantity and metadata.
    public func update(
        _ id: String, price: String?, quantity: Int?, metadata: JSONValue?,
        proration: ProrationBehavior = .createProrations, caller: Caller
    ) async throws -> JSONValue {
        let (subscription, _) = try await find(id, account: caller.account)
        let updated = try await Self.naming { [store] in
            try await Subscriptions(store: store).update(
                subscription.id, items: [.init(id: id, price: price, quantity: quantity, metadata: metadata)],
                cancelAtPeriodEnd: nil, fields: [:], proration: proration, caller: caller)
        }
        return Self.items(of: updated).first { $0["id"]?.stringValue == id } ?? [:]
    }

    /// `DELETE /v1/subscription_items/{id}`: a subscription keeps at least one item.
    public func delete(_ id: String, proration: ProrationBehavior = .createProrations, caller: Caller) async throws
        -> JSONValue
    {
        let (subscription, _) = try await find(id, account: caller.account)
        _ = try await Subscriptions(store: store).update(
            subscription.id, items: [.init(id: id, deleted: true)], cancelAtPeriodEnd: nil, fields: [:],
            proration: proration, caller: caller)
        return ["id": .string(id), "object": "subscription_item", "deleted": true]
    }

    /// Errors of the one item change, named as this endpoint's parameters (`price`, not
    /// `items[0][price]`).
    static func naming<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch var error as JunctionError {
            if let param = error.param, param.hasPrefix("items[0][") {
                error.param = String(param.dropFirst("items[0][".count).dropLast())
            }
            throw error
        }
    }

    static func items(of subscription: StoredObject) -> [JSONValue] {
        subscription.publicDocument["items"]?["data"]?.arrayItems ?? []
    }
}
