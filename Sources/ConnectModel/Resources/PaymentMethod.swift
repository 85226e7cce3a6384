extension Resource {
    /// Card payment methods; `customer` is the customer it is attached to.
    public static let paymentMethod = Resource(
        kind: .paymentMethod, idPrefix: "pm", noun: "PaymentMethod", path: "/v1/payment_methods",
        events: ResourceEvents(updated: .paymentMethodUpdated), customerField: "customer")
}

extension EventType {
    public static let paymentMethodUpdated = EventType(rawValue: "payment_method.updated")
    public static let paymentMethodAttached = EventType(rawValue: "payment_method.attached")
    public static let paymentMethodDetached = EventType(rawValue: "payment_method.detached")
}

/// The payment method types a payment intent may allow (`payment_method_types`): every type
/// Stripe documents. Junction makes card payment methods; an intent may still list others, as
/// platforms do for the Payment Element, and is refused only a card when it leaves `card` out.
public enum PaymentMethodTypes {
    public static let card = "card"

    /// Stripe's documented types (the PaymentMethod object's `type`).
    public static let documented: Set<String> = [
        "acss_debit", "affirm", "afterpay_clearpay", "alipay", "alma", "amazon_pay", "au_becs_debit", "bacs_debit",
        "bancontact", "billie", "bizum", "blik", "boleto", "card", "card_present", "cashapp", "crypto", "custom",
        "customer_balance", "eps", "fpx", "giropay", "grabpay", "ideal", "interac_present", "kakao_pay", "klarna",
        "konbini", "kr_card", "link", "mb_way", "mobilepay", "multibanco", "naver_pay", "nz_bank_account", "oxxo",
        "p24", "pay_by_bank", "payco", "paynow", "paypal", "paypay", "payto", "pix", "promptpay", "revolut_pay",
        "samsung_pay", "satispay", "scalapay", "sepa_debit", "sequra", "sofort", "sunbit", "swish", "twint", "upi",
        "us_bank_account", "wechat_pay", "zip",
    ]

    /// `types` without repeats, in order, or Stripe's error naming the first unknown one.
    public static func validated(_ types: [String]) throws(JunctionError) -> [String] {
        if let unknown = types.first(where: { !documented.contains($0) }) {
            throw JunctionError.invalid(
                "The payment method type \"\(unknown)\" is invalid. See https://docs.stripe.com/api/payment_intents/create#create_payment_intent-payment_method_types for the full list of supported payment method types.",
                param: "payment_method_types")
        }
        var seen: Set<String> = []
        return types.filter { seen.insert($0).inserted }
    }

    /// Refuses a payment method of `type` on an intent that allows only `allowed`.
    public static func check(_ type: String, allowedBy allowed: [String]) throws(JunctionError) {
        guard !allowed.isEmpty, !allowed.contains(type) else { return }
        throw JunctionError.invalid(
            "The PaymentMethod provided (\(type)) is not allowed for this PaymentIntent. Please attach a PaymentMethod of one of the following types: \(allowed.joined(separator: ", ")). Alternatively, update the allowed payment_method_types for this PaymentIntent to include \"\(type)\".",
            param: "payment_method", code: "payment_intent_invalid_parameter")
    }
}
