/// Default `settings` of a new account.
public enum AccountSettings {
    public static func defaults(country: String, currency: String) -> JSONValue {
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
                "debit_negative_balances": true,
                "schedule": ["delay_days": .int(country == "US" ? 2 : 7), "interval": "daily"],
                "statement_descriptor": nil,
            ],
            "sepa_debit_payments": [:],
        ]
    }
}
