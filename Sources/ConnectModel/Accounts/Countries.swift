/// The countries Junction accepts for accounts, with the default currency Stripe gives each.
public enum Countries {
    public static let defaultCurrency: [String: String] = [
        "AE": "aed", "AT": "eur", "AU": "aud", "BE": "eur", "BG": "bgn", "BR": "brl", "CA": "cad", "CH": "chf",
        "CY": "eur", "CZ": "czk", "DE": "eur", "DK": "dkk", "EE": "eur", "ES": "eur", "FI": "eur", "FR": "eur",
        "GB": "gbp", "GI": "gbp", "GR": "eur", "HK": "hkd", "HR": "eur", "HU": "huf", "IE": "eur", "IN": "inr",
        "IT": "eur", "JP": "jpy", "LI": "chf", "LT": "eur", "LU": "eur", "LV": "eur", "MT": "eur", "MX": "mxn",
        "MY": "myr", "NL": "eur", "NO": "nok", "NZ": "nzd", "PL": "pln", "PT": "eur", "RO": "ron", "SE": "sek",
        "SG": "sgd", "SI": "eur", "SK": "eur", "TH": "thb", "US": "usd",
    ]

    public static let currencies: Set<String> = Set(defaultCurrency.values)

    /// The country a new account gets when the request names none.
    public static let fallback = "US"
}
