/// A property Stripe leaves out of an object unless `expand[]` names it (Stripe calls them
/// includable: a customer's `sources`, a price's `currency_options`), and what it holds.
public enum IncludedProperty: Sendable, Equatable {
    /// A list of `kind` objects that point back at this object through `by` (a customer's
    /// `subscriptions`), at `<object URL>/<property>`. With no kind, a list Junction keeps nothing
    /// in yet (a customer's `sources`: cards are payment methods here).
    case list(ObjectKind?, by: BackReference)
    /// A price's or coupon's amount in its own currency, keyed by that currency.
    case currencyOptions
    /// A value that does not depend on the object.
    case value(JSONValue)
    /// What the object keeps in a private field (a price's tiers), null when nothing.
    case privateField(String)

    /// How the objects of an included list point at their owner.
    public enum BackReference: Sendable, Equatable {
        case customer
        case parent
        case none
    }
}

extension Resource {
    /// The value of the includable `property` of `document` that needs no other object, or
    /// `nil` when it lists other objects (``IncludedProperty/list(_:by:)``) or is kept privately
    /// (``IncludedProperty/privateField(_:)``): storage answers those.
    public func included(_ property: String, of document: JSONValue) -> JSONValue? {
        switch includable[property] {
        case nil, .list?, .privateField?: return nil
        case .value(let value)?: return value
        case .currencyOptions?:
            guard let currency = document["currency"]?.stringValue else { return [:] }
            var option: JSONValue = [
                "custom_unit_amount": nil, "tax_behavior": document["tax_behavior"] ?? "unspecified",
            ]
            if kind == .coupon {
                option = ["amount_off": document["amount_off"] ?? nil]
                guard document["amount_off"] != .null, document["amount_off"] != nil else { return [:] }
            } else {
                option["unit_amount"] = document["unit_amount"] ?? nil
                option["unit_amount_decimal"] = document["unit_amount_decimal"] ?? nil
            }
            return .object([currency: option])
        }
    }

    /// The empty list envelope of an includable list of the object `id`.
    public func emptyIncludedList(_ property: String, of id: String) -> JSONValue {
        [
            "object": "list", "data": [], "has_more": false, "total_count": 0,
            "url": .string("\(path)/\(id)/\(property)"),
        ]
    }
}
