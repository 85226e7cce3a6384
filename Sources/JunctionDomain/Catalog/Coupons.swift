import ConnectModel
import JunctionStorage

/// Coupons of an account: a percentage or an amount off, for one invoice, some months or
/// forever. Applying them to subscriptions and invoices is later work; until then those
/// parameters are refused there.
public struct Coupons: Sendable {
    let store: any ObjectStore

    public init(store: any ObjectStore) {
        self.store = store
    }

    /// What `POST /v1/coupons` asks for.
    public struct Creation: Sendable {
        public var id: String?
        public var percentOff: Double?
        public var amountOff: Int?
        public var currency: String?
        public var duration: CouponDuration
        public var durationInMonths: Int?
        public var maxRedemptions: Int?
        public var redeemBy: Int?
        public var name: String?
        public var metadata: JSONValue

        public init(
            id: String? = nil, percentOff: Double? = nil, amountOff: Int? = nil, currency: String? = nil,
            duration: CouponDuration = .once, durationInMonths: Int? = nil, maxRedemptions: Int? = nil,
            redeemBy: Int? = nil, name: String? = nil, metadata: JSONValue = [:]
        ) {
            self.id = id
            self.percentOff = percentOff
            self.amountOff = amountOff
            self.currency = currency
            self.duration = duration
            self.durationInMonths = durationInMonths
            self.maxRedemptions = maxRedemptions
            self.redeemBy = redeemBy
            self.name = name
            self.metadata = metadata
        }
    }

    /// A new coupon, checked as Stripe checks it; a taken id is `resource_already_exists`.
    public func create(_ creation: Creation, caller: Caller) async throws -> StoredObject {
        let currency = try Self.check(creation, now: caller.now)
        let id = creation.id ?? Resource.coupon.newID()
        let coupon = StoredObject(
            id: id, account: caller.account, kind: .coupon, created: caller.now,
            document: [
                "id": .string(id), "object": "coupon", "amount_off": JSONValue(creation.amountOff),
                "created": .int(caller.now), "currency": JSONValue(currency),
                "duration": .string(creation.duration.rawValue),
                "duration_in_months": JSONValue(creation.durationInMonths),
                "livemode": false, "max_redemptions": JSONValue(creation.maxRedemptions),
                "metadata": JSONValue.object([:]).patched(with: ["metadata": creation.metadata])["metadata"] ?? [:],
                "name": JSONValue(creation.name), "percent_off": creation.percentOff.map(JSONValue.double) ?? .null,
                "redeem_by": JSONValue(creation.redeemBy), "times_redeemed": 0, "valid": true,
            ])
        do {
            try await store.write { tx in try await tx.create(coupon, caller: caller) }
        } catch StoreError.duplicate("id") {
            throw JunctionError.alreadyExists("Coupon already exists.", param: "id")
        }
        return coupon
    }

    /// The coupon as clients see it now: `valid` turns false once `redeem_by` has passed or it
    /// was redeemed `max_redemptions` times.
    public static func current(_ document: JSONValue, now: Int) -> JSONValue {
        var document = document
        let expired = document["redeem_by"]?.integerValue.map { $0 <= now } ?? false
        let used = document["max_redemptions"]?.integerValue.map {
            (document["times_redeemed"]?.integerValue ?? 0) >= $0
        }
        document["valid"] = .bool(!expired && used != true)
        return document
    }

    /// Stripe's rules for a new coupon; answers the lower-cased currency of an `amount_off` one.
    static func check(_ creation: Creation, now: Int) throws(JunctionError) -> String? {
        switch (creation.percentOff, creation.amountOff) {
        case (nil, nil):
            throw .invalid(
                "A coupon needs a discount: pass percent_off (a percentage) or amount_off (an amount with its currency).",
                param: "percent_off")
        case (.some, .some):
            throw .invalid("Pass only one of percent_off and amount_off, not both.", param: "amount_off")
        case (let percent?, nil):
            guard percent > 0, percent <= 100 else {
                throw .invalid("percent_off must be greater than 0 and at most 100.", param: "percent_off")
            }
            guard creation.currency == nil else {
                throw .invalid(
                    "currency is only for coupons with amount_off; a percent_off coupon works in every currency.",
                    param: "currency")
            }
        case (nil, let amount?):
            guard amount > 0 else { throw .invalid("amount_off must be a positive integer.", param: "amount_off") }
            guard creation.currency != nil else {
                throw .missing("currency", message: "You must pass currency when passing amount_off.")
            }
        }
        switch (creation.duration, creation.durationInMonths) {
        case (.repeating, nil):
            throw .missing(
                "duration_in_months", message: "duration_in_months is required when duration is repeating.")
        case (.repeating, let months?) where months < 1:
            throw .invalid("duration_in_months must be a positive integer.", param: "duration_in_months")
        case (.once, .some), (.forever, .some):
            throw .invalid(
                "duration_in_months can only be passed when duration is repeating (it is \(creation.duration.rawValue)).",
                param: "duration_in_months")
        default: break
        }
        if let maximum = creation.maxRedemptions, maximum < 1 {
            throw .invalid("max_redemptions must be a positive integer.", param: "max_redemptions")
        }
        if let redeemBy = creation.redeemBy, redeemBy <= now {
            throw .invalid("redeem_by must be in the future.", param: "redeem_by")
        }
        guard let currency = creation.currency else { return nil }
        return try Currency.validated(currency)
    }
}
