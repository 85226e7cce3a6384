/// One capability of an account.
public struct CapabilityState: Sendable, Codable, Equatable {
    public var requested: Bool
    public var requestedAt: Int?

    public init(requested: Bool, requestedAt: Int?) {
        self.requested = requested
        self.requestedAt = requestedAt
    }
}

/// The capability names Junction knows; requesting another is a 400.
public enum Capabilities {
    public static let known: Set<String> = [
        "acss_debit_payments", "affirm_payments", "afterpay_clearpay_payments", "alipay_payments",
        "amazon_pay_payments", "au_becs_debit_payments", "bacs_debit_payments", "bancontact_payments",
        "bank_transfer_payments", "blik_payments", "boleto_payments", "card_issuing", "card_payments",
        "cartes_bancaires_payments", "cashapp_payments", "eps_payments", "fpx_payments", "giropay_payments",
        "grabpay_payments", "ideal_payments", "jcb_payments", "klarna_payments", "konbini_payments",
        "link_payments", "mobilepay_payments", "oxxo_payments", "p24_payments", "paynow_payments",
        "promptpay_payments", "revolut_pay_payments", "sepa_debit_payments", "sofort_payments",
        "swish_payments", "tax_reporting_us_1099_k", "tax_reporting_us_1099_misc", "transfers", "treasury",
        "twint_payments", "us_bank_account_ach_payments", "us_bank_transfer_payments", "zip_payments",
    ]
}

/// A capability's `status`.
public enum CapabilityStatus: String, Sendable, Codable {
    case active
    case inactive
    case pending
    case unrequested
}
