import ConnectModel
import JunctionStorage

/// Products of an account (A5): what prices are prices of.
public struct Products: Sendable {
    let store: any ObjectStore

    public init(store: any ObjectStore) {
        self.store = store
    }

    /// A new product; `id` may be chosen by the caller, as Stripe allows.
    public func create(id: String?, name: String, fields: JSONValue, caller: Caller) async throws -> StoredObject {
        let product = StoredObject(
            id: id ?? Resource.product.newID(), account: caller.account, kind: .product, created: caller.now,
            document: Self.document(id ?? "", name: name, now: caller.now).patched(with: fields))
        var stored = product
        stored.document["id"] = .string(product.id)
        let created = stored
        do {
            try await store.write { tx in try await tx.create(created, caller: caller) }
        } catch StoreError.duplicate {
            throw JunctionError.alreadyExists("Product already exists.", param: "id")
        }
        return created
    }

    /// `POST /v1/products/{id}`: `default_price` must be one of the product's prices.
    public func update(_ id: String, patch: JSONValue, caller: Caller) async throws -> StoredObject {
        try await store.write { tx in
            try await tx.patch(.product, id, with: patch, caller: caller) { product in
                if let price = patch["default_price"]?.stringValue {
                    guard let found = try await tx.object(price, account: caller.account), found.kind == .price,
                        found.parent == product.id
                    else { throw Resource.price.noSuch(price, param: "default_price") }
                }
                product.document["updated"] = .int(caller.now)
            }
        }
    }

    /// `DELETE /v1/products/{id}`: only without prices, as Stripe requires.
    public func delete(_ id: String, caller: Caller) async throws -> JSONValue {
        try await Objects(store: store).delete(.product, id, caller: caller) { product, tx in
            guard try await !tx.exists(account: caller.account, kind: .price, filter: ObjectFilter(parent: product.id))
            else {
                throw JunctionError.invalid(
                    "This product cannot be deleted because it has one or more user-created prices.",
                    code: "product_has_prices")
            }
        }
    }

    /// Products and prices are listed by `active`.
    public static func filter(active: Bool?) -> ObjectFilter {
        ObjectFilter(statuses: active.map { [($0 ? ActiveStatus.active : .inactive).rawValue] })
    }

    static func document(_ id: String, name: String, now: Int) -> JSONValue {
        [
            "id": .string(id), "object": "product", "active": true, "attributes": [], "created": .int(now),
            "default_price": nil, "description": nil, "images": [], "livemode": false, "marketing_features": [],
            "metadata": [:], "name": .string(name), "package_dimensions": nil, "shippable": nil,
            "statement_descriptor": nil, "tax_code": nil, "type": "service", "unit_label": nil, "updated": .int(now),
            "url": nil, "tax_details": nil,
        ]
    }
}
