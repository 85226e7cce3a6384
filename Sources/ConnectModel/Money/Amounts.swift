import Foundation

/// Amounts in minor units, kept far from `Int`'s limits so that no arithmetic on them can trap
/// (a trap would end the process for every tenant). Stripe charges at most 99,999,999 minor
/// units at once; anything a client can make larger (a price times a quantity, a meter's usage,
/// a tier's decimal amount) is clamped to ``bound`` before it is added up.
public enum Amounts {
    /// The most Stripe charges in one payment: 99,999,999 minor units (USD 999,999.99).
    public static let maximumCharge = 99_999_999
    /// Far beyond any amount that can be charged, and far below `Int.max`: millions of amounts
    /// clamped here still add up without overflow.
    public static let bound = 1_000_000_000_000

    public static func clamp(_ value: Int) -> Int { min(max(value, -bound), bound) }

    /// `a × b`, clamped.
    public static func product(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow else { return (a < 0) == (b < 0) ? bound : -bound }
        return clamp(value)
    }

    /// The sum of amounts, each clamped first.
    public static func sum(_ values: some Sequence<Int>) -> Int {
        values.reduce(0) { clamp($0 + clamp($1)) }
    }

    /// A decimal amount rounded half up to whole minor units, clamped.
    public static func rounded(_ value: Decimal) -> Int {
        guard !value.isNaN else { return 0 }
        if value > Decimal(bound) { return bound }
        if value < Decimal(-bound) { return -bound }
        var exact = value
        var whole = Decimal()
        NSDecimalRound(&whole, &exact, 0, .plain)
        return NSDecimalNumber(decimal: whole).intValue
    }

    /// Stripe's refusal of a payment larger than it takes at once.
    public static func tooLarge(param: String) -> JunctionError {
        JunctionError.invalid(
            "This would charge more than the most Stripe charges at once: 99,999,999 in the currency's smallest unit (USD 999,999.99).",
            param: param, code: "amount_too_large")
    }
}
