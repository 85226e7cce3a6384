import ConnectModel
import JunctionStorage

/// Prices of an account's products (A5): one-time and recurring.
public struct Prices: Sendable {
    let store: any ObjectStore

    public init(store: any ObjectStore) {
        self.store = store
    }

    /// What `POST /v1/prices` asks for: exactly one of `product` and `productData`.
    public struct Creation: Sendable {
        public var currency: String
        public var unitAmount: Int?
        public var product: String?
        /// The fields of a product to create with the price (`name`, `metadata`, …).
        public var productData: JSONValue?
        /// `interval`, `interval_count`, `trial_period_days`.
        public var recurring: JSONValue?
        /// `billing_scheme` (per unit if not sent), `tiers_mode` and `tiers[]` as sent.
        public var billingScheme: BillingScheme?
        public var tiersMode: TiersMode?
        public var tiers: [JSONValue]?
        /// Further fields (`nickname`, `lookup_key`, `metadata`, …), as a patch.
        public var fields: JSONValue

        public init(
            currency: String, unitAmount: Int?, product: String? = nil, productData: JSONValue? = nil,
            recurring: JSONValue? = nil, billingScheme: BillingScheme? = nil, tiersMode: TiersMode? = nil,
            tiers: [JSONValue]? = nil, fields: JSONValue = [:]
        ) {
            self.billingScheme = billingScheme
            self.tiersMode = tiersMode
            self.tiers = tiers
            self.currency = currency
            self.unitAmount = unitAmount
            self.product = product
            self.productData = productData
            self.recurring = recurring
            self.fields = fields
        }
    }

    public func create(_ creation: Creation, caller: Caller) async throws -> StoredObject {
        let currency = try Currency.validated(creation.currency)
        let tiers = try Self.tiers(of: creation)
        let unitAmount = creation.unitAmount
        if tiers == nil, unitAmount == nil { throw JunctionError.missing("unit_amount") }
        guard (creation.product == nil) != (creation.productData == nil) else {
            throw JunctionError.invalid("Specify exactly one of product or product_data.", param: "product")
        }
        let recurring = creation.recurring.map { value -> JSONValue in
            [
                "interval": value["interval"] ?? nil,
                "interval_count": .int(value["interval_count"]?.integerValue ?? 1),
                "meter": value["meter"] ?? nil, "trial_period_days": value["trial_period_days"] ?? nil,
                "usage_type": value["usage_type"] ?? "licensed",
            ]
        }
        try Self.checkUsage(recurring)
        let now = caller.now
        return try await store.write { tx in
            var productID = creation.product
            if let data = creation.productData {
                let newID = Resource.product.newID()
                try await tx.insert(
                    StoredObject(
                        id: newID, account: caller.account, kind: .product, created: now,
                        document: Products.document(newID, name: data["name"]?.stringValue ?? "", now: now)
                            .patched(with: data)))
                productID = newID
            } else if let productID {
                _ = try await tx.require(.product, productID, account: caller.account, param: "product")
            }
            if let meterID = recurring?["meter"]?.stringValue {
                let meter = try await tx.require(.meter, meterID, account: caller.account, param: "recurring[meter]")
                guard meter.status(MeterStatus.self) == .active else {
                    throw JunctionError.invalid(
                        "The meter \(meterID) is inactive; metered prices need an active meter.",
                        param: "recurring[meter]")
                }
            }
            let id = Resource.price.newID()
            let price = StoredObject(
                id: id, account: caller.account, kind: .price, created: now,
                document: Self.document(
                    id, currency: currency, unitAmount: unitAmount, tiers: tiers, product: productID,
                    recurring: recurring, now: now
                ).patched(with: creation.fields))
            try await tx.create(price, caller: caller)
            return price
        }
    }

    /// The tiers of a `billing_scheme=tiered` price; `nil` for a per-unit one. Stripe's rules:
    /// tiers and `tiers_mode` go with `tiered` only, and a tiered price has no `unit_amount`.
    static func tiers(of creation: Creation) throws -> PriceTiers? {
        guard creation.billingScheme == .tiered else {
            if creation.tiers != nil {
                throw JunctionError.invalid(
                    "`tiers` can only be used with `billing_scheme` set to `tiered`.", param: "tiers")
            }
            if creation.tiersMode != nil {
                throw JunctionError.invalid(
                    "`tiers_mode` can only be used with `billing_scheme` set to `tiered`.", param: "tiers_mode")
            }
            return nil
        }
        guard let mode = creation.tiersMode else { throw JunctionError.missing("tiers_mode") }
        guard let requested = creation.tiers else { throw JunctionError.missing("tiers") }
        if creation.unitAmount != nil {
            throw JunctionError.invalid(
                "You may not specify `unit_amount` with `billing_scheme` set to `tiered`: each tier has its amounts.",
                param: "unit_amount")
        }
        return try PriceTiers(mode: mode, requested: requested)
    }

    /// Since basil a metered price bills a meter's usage, so it names the meter; only it may.
    static func checkUsage(_ recurring: JSONValue?) throws {
        let metered = recurring?["usage_type"] == "metered"
        let meter = recurring?["meter"]?.stringValue
        if metered, meter == nil {
            throw JunctionError.invalid(
                "Metered prices must name the meter whose usage they bill: pass `recurring[meter]` (create one at /v1/billing/meters).",
                param: "recurring[meter]")
        }
        if !metered, meter != nil {
            throw JunctionError.invalid(
                "`recurring[meter]` can only be set when `recurring[usage_type]` is `metered`.",
                param: "recurring[meter]")
        }
    }

    /// Whether a price (or the price a subscription item carries) bills usage, in arrears.
    static func isMetered(_ price: JSONValue?) -> Bool {
        price?["recurring"]?["usage_type"] == "metered"
    }

    /// Only recurring prices can be billed by subscriptions.
    static func isRecurring(_ price: StoredObject) -> Bool {
        price.document["type"]?.stringValue == PriceType.recurring.rawValue
    }

    static func document(
        _ id: String, currency: String, unitAmount: Int?, tiers: PriceTiers? = nil, product: String?,
        recurring: JSONValue?, now: Int
    ) -> JSONValue {
        [
            "id": .string(id), "object": "price", "active": true,
            "billing_scheme": .string((tiers == nil ? BillingScheme.perUnit : .tiered).rawValue), "created": .int(now),
            "currency": .string(currency), "custom_unit_amount": nil, "livemode": false, "lookup_key": nil,
            "metadata": [:], "nickname": nil, "product": JSONValue(product), "recurring": recurring ?? nil,
            "tax_behavior": "unspecified", "tiers_mode": JSONValue(tiers?.mode.rawValue), "transform_quantity": nil,
            PriceTiers.field: tiers?.json ?? nil,
            "type": .string((recurring == nil ? PriceType.oneTime : .recurring).rawValue),
            "unit_amount": JSONValue(unitAmount), "unit_amount_decimal": JSONValue(unitAmount.map(String.init)),
        ]
    }
}
