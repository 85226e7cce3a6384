/// Default `settings` of a new account.
public enum AccountSettings {
    /// `debitNegativeBalances`: Stripe's default is `false` when the platform collects the
    /// requirements (`controller.requirement_collection` `application`, Custom accounts), else `true`.
    public static func defaults(country: String, currency: String, debitNegativeBalances: Bool = true) -> JSONValue {
        [
            "bacs_debit_payments": ["display_name": nil, "service_user_number": nil],
            "branding": ["icon": nil, "logo": nil, "primary_color": nil, "secondary_color": nil],
            "card_issuing": ["tos_acceptance": ["date": nil, "ip": nil]],
            "card_payments": [
                "decline_on": ["avs_failure": false, "cvc_failure": false],
                "statement_descriptor_prefix": nil,
                "statement_descriptor_prefix_kana": nil,
                "statement_descriptor_prefix_kanji": nil,
            ],
            "dashboard": ["display_name": nil, "timezone": "Etc/UTC"],
            "invoices": ["default_account_tax_ids": nil],
            "payments": [
                "statement_descriptor": nil, "statement_descriptor_kana": nil, "statement_descriptor_kanji": nil,
            ],
            "payouts": [
                "debit_negative_balances": .bool(debitNegativeBalances),
                "schedule": ["delay_days": .int(country == "US" ? 2 : 7), "interval": "daily"],
                "statement_descriptor": nil,
            ],
            "sepa_debit_payments": [:],
        ]
    }
}
