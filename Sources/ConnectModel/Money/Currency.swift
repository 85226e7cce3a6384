/// The currencies Junction takes, and Stripe's per-currency limits.
public enum Currency {
    /// `value` in lower case when Junction supports it; else 400 naming `param`.
    public static func validated(_ value: String, param: String = "currency") throws(JunctionError) -> String {
        let currency = value.lowercased()
        guard Countries.currencies.contains(currency) else {
            throw .invalid(
                "Invalid currency: \(value). Junction supports \(Countries.currencies.sorted().joined(separator: ", ")).",
                param: param)
        }
        return currency
    }

    /// Stripe's minimum charge amounts, in minor units.
    public static func minimumChargeAmount(_ currency: String) -> Int {
        [
            "gbp": 30, "jpy": 50, "hkd": 400, "mxn": 1000, "sek": 300, "nok": 300, "dkk": 250, "czk": 1500,
            "huf": 17500, "pln": 200, "ron": 200, "bgn": 100, "inr": 50, "thb": 1000, "myr": 200,
        ][currency] ?? 50
    }
}
