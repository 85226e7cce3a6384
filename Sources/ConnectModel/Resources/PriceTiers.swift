import Foundation

/// A tiered price's `tiers_mode`.
public enum TiersMode: String, Sendable, CaseIterable {
    /// Each unit costs what the tier it falls in says; each tier reached adds its flat amount.
    case graduated
    /// Every unit costs what the tier the whole quantity falls in says, plus that tier's flat amount.
    case volume
}

/// A price's `billing_scheme`.
public enum BillingScheme: String, Sendable, CaseIterable {
    case perUnit = "per_unit"
    case tiered
}

/// The tiers of a `billing_scheme=tiered` price, as Stripe prices them. Kept in the price's
/// private ``PriceTiers/field`` (Stripe sends `tiers` only when expanded) and carried with the
/// price into subscription items, whose periods they bill.
public struct PriceTiers: Sendable, Equatable {
    public struct Tier: Sendable, Equatable {
        /// The last unit of the tier; `nil` for `inf`, which only the last tier may be.
        public var upTo: Int?
        public var unitAmount: Decimal?
        public var flatAmount: Decimal?
    }

    /// Where a price keeps its tiers: Stripe's tier objects, in order.
    public static let field = "_tiers"

    public var mode: TiersMode
    public var tiers: [Tier]

    /// The tiers of `price` (a price document, or one carried by a subscription item), or `nil`
    /// for a per-unit price.
    public init?(price: JSONValue) {
        guard price["billing_scheme"]?.stringValue == BillingScheme.tiered.rawValue,
            let mode = price["tiers_mode"]?.stringValue.flatMap(TiersMode.init(rawValue:)),
            let stored = price[Self.field]?.arrayItems
        else { return nil }
        self.mode = mode
        tiers = stored.map { tier in
            Tier(
                upTo: tier["up_to"]?.integerValue,
                unitAmount: Self.decimal(tier["unit_amount_decimal"]),
                flatAmount: Self.decimal(tier["flat_amount_decimal"]))
        }
    }

    /// Tiers from a request's `tiers[]` (each `up_to`, `unit_amount` or `unit_amount_decimal`,
    /// `flat_amount` or `flat_amount_decimal`), checked as Stripe checks them.
    public init(mode: TiersMode, requested: [JSONValue]) throws(JunctionError) {
        guard !requested.isEmpty else { throw JunctionError.missing("tiers") }
        var tiers: [Tier] = []
        for (index, tier) in requested.enumerated() {
            let name = "tiers[\(index)]"
            let upTo: Int?
            switch tier["up_to"] {
            case .string("inf")?: upTo = nil
            case .int(let value)?: upTo = value
            default: throw JunctionError.missing("\(name)[up_to]")
            }
            let unit = try Self.amount(tier, "unit_amount", name: name)
            let flat = try Self.amount(tier, "flat_amount", name: name)
            guard unit != nil || flat != nil else {
                throw JunctionError.invalid(
                    "Each tier must have a unit_amount, unit_amount_decimal, flat_amount or flat_amount_decimal.",
                    param: "\(name)[unit_amount]")
            }
            if let previous = tiers.last {
                guard let last = previous.upTo else {
                    throw JunctionError.invalid(
                        "Only the last tier may have `up_to` set to `inf`.", param: "tiers[\(index - 1)][up_to]")
                }
                if let upTo, upTo <= last {
                    throw JunctionError.invalid(
                        "The `up_to` of each tier must be greater than the one before it.", param: "\(name)[up_to]")
                }
            }
            tiers.append(Tier(upTo: upTo, unitAmount: unit, flatAmount: flat))
        }
        guard tiers.last?.upTo == nil else {
            throw JunctionError.invalid(
                "The last tier must have `up_to` set to `inf`.", param: "tiers[\(tiers.count - 1)][up_to]")
        }
        self.mode = mode
        self.tiers = tiers
    }

    /// Stripe's tier objects.
    public var json: JSONValue {
        .array(
            tiers.map { tier in
                [
                    "flat_amount": Self.whole(tier.flatAmount), "flat_amount_decimal": Self.text(tier.flatAmount),
                    "unit_amount": Self.whole(tier.unitAmount), "unit_amount_decimal": Self.text(tier.unitAmount),
                    "up_to": tier.upTo.map(JSONValue.int) ?? .null,
                ]
            })
    }

    /// What `quantity` units cost, in minor units, rounded half up as Stripe rounds a line.
    public func amount(quantity: Int) -> Int {
        var total: Decimal = 0
        switch mode {
        case .volume:
            let tier = tiers.first { $0.upTo.map { quantity <= $0 } ?? true } ?? tiers[tiers.count - 1]
            total = (tier.unitAmount ?? 0) * Decimal(quantity) + (tier.flatAmount ?? 0)
        case .graduated:
            var below = 0
            for tier in tiers where quantity > below {
                let top = tier.upTo.map { min($0, quantity) } ?? quantity
                total += (tier.unitAmount ?? 0) * Decimal(top - below) + (tier.flatAmount ?? 0)
                below = top
            }
        }
        return Amounts.rounded(total)
    }

    private static func amount(_ tier: JSONValue, _ name: String, name prefix: String) throws(JunctionError) -> Decimal?
    {
        let whole = tier[name]?.integerValue
        let decimalText = tier["\(name)_decimal"]
        if whole != nil, decimalText != nil {
            throw JunctionError.invalid(
                "You may only specify one of these parameters: \(name), \(name)_decimal.", param: "\(prefix)[\(name)]")
        }
        if let whole { return Decimal(whole) }
        guard let decimalText else { return nil }
        guard let value = decimal(decimalText), value >= 0 else {
            throw JunctionError.invalid(
                "Invalid decimal: \(decimalText.stringValue ?? "")", param: "\(prefix)[\(name)_decimal]")
        }
        return value
    }

    private static func decimal(_ value: JSONValue?) -> Decimal? {
        switch value {
        case .string(let text)?: Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
        case .int(let number)?: Decimal(number)
        default: nil
        }
    }

    private static func text(_ amount: Decimal?) -> JSONValue {
        amount.map { .string("\($0)") } ?? .null
    }

    /// An amount as an integer field: null when it has a fraction (Stripe then sends only the decimal).
    private static func whole(_ amount: Decimal?) -> JSONValue {
        guard let amount else { return .null }
        var value = amount
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 0, .plain)
        return rounded == amount ? .int(NSDecimalNumber(decimal: amount).intValue) : .null
    }
}
