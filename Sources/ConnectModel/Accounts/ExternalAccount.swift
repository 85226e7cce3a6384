import Foundation

/// Where an account's payouts go: a bank account (`ba_…`) or a debit card (`card_…`). Kept
/// with the account (it is part of what the account is, and of its requirements).
public struct ExternalAccount: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case bankAccount = "bank_account"
        case card
    }

    public var id: String
    public var kind: Kind
    public var country: String
    public var currency: String
    public var last4: String
    public var fingerprint: String
    public var defaultForCurrency: Bool
    public var created: Int
    public var metadata: [String: String]
    // A bank account's.
    public var routingNumber: String?
    public var bankName: String?
    public var accountHolderName: String?
    public var accountHolderType: String?
    // A debit card's.
    public var brand: String?
    public var expMonth: Int?
    public var expYear: Int?
    public var name: String?
    /// The `failure_code` a payout to it gets (Stripe's test numbers and tokens); `nil`: paid.
    public var payoutFailure: PayoutFailure?

    /// The Stripe JSON of this external account of `account`.
    public func rendered(account: String) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id), "object": .string(kind.rawValue), "account": .string(account),
            "country": .string(country), "currency": .string(currency), "last4": .string(last4),
            "fingerprint": .string(fingerprint), "default_for_currency": .bool(defaultForCurrency),
            "metadata": .object(metadata.mapValues(JSONValue.string)),
        ]
        switch kind {
        case .bankAccount:
            object["account_holder_name"] = JSONValue(accountHolderName)
            object["account_holder_type"] = JSONValue(accountHolderType)
            object["account_type"] = .null
            object["customer"] = .null
            object["available_payout_methods"] = ["instant", "standard"]
            object["bank_name"] = JSONValue(bankName)
            object["routing_number"] = JSONValue(routingNumber)
            object["status"] = payoutFailure == nil ? "new" : "errored"
            object["future_requirements"] = [
                "currently_due": [], "errors": [], "past_due": [], "pending_verification": [],
            ]
            object["requirements"] = ["currently_due": [], "errors": [], "past_due": [], "pending_verification": []]
        case .card:
            object["address_city"] = .null
            object["allow_redisplay"] = .null
            object["customer"] = .null
            object["description"] = .null
            object["iin"] = .null
            object["issuer"] = .null
            object["networks"] = .null
            object["regulated_status"] = .null
            object["address_country"] = .null
            object["address_line1"] = .null
            object["address_line1_check"] = .null
            object["address_line2"] = .null
            object["address_state"] = .null
            object["address_zip"] = .null
            object["address_zip_check"] = .null
            object["available_payout_methods"] = ["instant", "standard"]
            object["brand"] = JSONValue(brand)
            object["cvc_check"] = .null
            object["dynamic_last4"] = .null
            object["exp_month"] = JSONValue(expMonth)
            object["exp_year"] = JSONValue(expYear)
            object["funding"] = "debit"
            object["name"] = JSONValue(name)
            object["status"] = .null
            object["tokenization_method"] = .null
        }
        return .object(object)
    }
}

/// Why a payout failed (`payout.failure_code`), as Stripe's test bank accounts and cards make it.
public enum PayoutFailure: String, Sendable, Codable, CaseIterable {
    case noAccount = "no_account"
    case accountClosed = "account_closed"
    case insufficientFunds = "insufficient_funds"
    case debitNotAuthorized = "debit_not_authorized"
    case invalidCurrency = "invalid_currency"
    case couldNotProcess = "could_not_process"

    /// Stripe's `failure_message` for the code.
    public var message: String {
        switch self {
        case .noAccount:
            "The bank account details on file are probably incorrect. No bank account could be located with those details."
        case .accountClosed: "The bank account has been closed."
        case .insufficientFunds: "Your Stripe account has insufficient funds to cover the payout."
        case .debitNotAuthorized: "Debit transactions are not approved on the bank account."
        case .invalidCurrency: "The bank was unable to process this payout because of its currency."
        case .couldNotProcess: "The bank could not process this payout."
        }
    }
}

/// Stripe's test bank accounts and debit cards for payouts (docs.stripe.com/connect/testing).
public enum TestPayoutDestinations {
    /// US test account numbers (routing number 110000000) and the failure each makes.
    public static let bankAccounts: [String: PayoutFailure?] = [
        "000123456789": nil, "000111111116": .noAccount, "000111111113": .accountClosed,
        "000222222227": .insufficientFunds, "000333333335": .debitNotAuthorized, "000444444440": .invalidCurrency,
    ]

    /// `btok_…` test tokens: a US bank account, and the failure its payouts get.
    public static let bankTokens: [String: (account: String, failure: PayoutFailure?)] = [
        "btok_us_verified": ("000123456789", nil),
        "btok_us": ("000123456789", nil),
        "btok_us_verified_noAccount": ("000111111116", .noAccount),
        "btok_us_verified_accountClosed": ("000111111113", .accountClosed),
        "btok_us_verified_insufficientFunds": ("000222222227", .insufficientFunds),
        "btok_us_verified_debitNotAuthorized": ("000333333335", .debitNotAuthorized),
        "btok_us_verified_invalidCurrency": ("000444444440", .invalidCurrency),
    ]

    /// `tok_…` debit card tokens: brand, number, and the failure a payout gets.
    public static let debitCardTokens: [String: (brand: String, number: String, failure: PayoutFailure?)] = [
        "tok_visa_debit": ("Visa", "4000056655665556", nil),
        "tok_visa_debit_us_transferSuccess": ("Visa", "4000056655665556", nil),
        "tok_visa_debit_us_transferFail": ("Visa", "4000056655665572", .couldNotProcess),
        "tok_visa_debit_us_instantPayoutUnsupported": ("Visa", "4000056755665555", nil),
        "tok_mastercard_debit": ("MasterCard", "5200828282828210", nil),
        "tok_mastercard_debit_us_transferSuccess": ("MasterCard", "5200828282828210", nil),
        "tok_discover_debit_us_transferSuccess": ("Discover", "6011981111111113", nil),
    ]

    /// Card tokens that are not debit cards: refused as payout destinations.
    public static func isCreditCardToken(_ token: String) -> Bool {
        token.hasPrefix("tok_") && debitCardTokens[token] == nil
    }

    /// A stable fingerprint of a number (the same bank account or card has the same one).
    public static func fingerprint(_ number: String) -> String {
        var hash: UInt64 = 1_469_598_103_934_665_603
        for byte in number.utf8 {
            hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211
        }
        return String(String(hash, radix: 36).prefix(16))
    }
}
