import Crypto
import Foundation

/// Stripe's test cards: what a card number (or a `pm_card_*` / `tok_*` alias) is and how it
/// behaves when charged. Card numbers are used to compute these facts and are then dropped:
/// only brand, last 4 digits, expiry and a fingerprint are ever kept (A5).
public enum TestCards {
    /// Why a charge on the card is declined, in Stripe's codes.
    public struct Decline: Sendable, Equatable, Codable {
        /// The error `code`: `card_declined`, `expired_card`, `incorrect_cvc`, `processing_error`.
        public var code: String
        /// The `decline_code` for `card_declined`.
        public var declineCode: String?
        public var message: String
    }

    /// What Junction knows of a card.
    public struct Profile: Sendable, Equatable, Codable {
        public var brand: String
        public var funding: String
        public var country: String
        public var last4: String
        public var fingerprint: String
        /// `nil`: charges succeed.
        public var decline: Decline?
        /// Charges land straight in the available balance (Stripe's 4000 0000 0000 0077).
        public var bypassPending: Bool
    }

    static let generic = Decline(
        code: "card_declined", declineCode: "generic_decline", message: "Your card was declined.")

    /// Behaviour of the documented test numbers; any other valid number is a plain successful card.
    static let behaviours: [String: (funding: String, decline: Decline?, bypass: Bool)] = [
        "4000056655665556": ("debit", nil, false),
        "5200828282828210": ("debit", nil, false),
        "4000000000000077": ("credit", nil, true),
        "4000000000000002": ("credit", generic, false),
        "4000000000000341": ("credit", generic, false),
        "4000000000009995": (
            "credit",
            Decline(
                code: "card_declined", declineCode: "insufficient_funds", message: "Your card has insufficient funds."),
            false
        ),
        "4000000000009987": (
            "credit", Decline(code: "card_declined", declineCode: "lost_card", message: "Your card was declined."),
            false
        ),
        "4000000000009979": (
            "credit", Decline(code: "card_declined", declineCode: "stolen_card", message: "Your card was declined."),
            false
        ),
        "4100000000000019": (
            "credit", Decline(code: "card_declined", declineCode: "fraudulent", message: "Your card was declined."),
            false
        ),
        "4000000000000069": (
            "credit", Decline(code: "expired_card", declineCode: "expired_card", message: "Your card has expired."),
            false
        ),
        "4000000000000127": (
            "credit",
            Decline(
                code: "incorrect_cvc", declineCode: "incorrect_cvc", message: "Your card's security code is incorrect."),
            false
        ),
        "4000000000000119": (
            "credit",
            Decline(
                code: "processing_error", declineCode: "processing_error",
                message: "An error occurred while processing your card. Try again in a little bit."), false
        ),
    ]

    /// `pm_card_*` and `tok_*` names and the card number each stands for.
    public static let aliases: [String: String] = {
        let names: [String: String] = [
            "visa": "4242424242424242", "visa_debit": "4000056655665556", "mastercard": "5555555555554444",
            "mastercard_debit": "5200828282828210", "amex": "378282246310005", "discover": "6011111111111117",
            "bypassPending": "4000000000000077", "chargeDeclined": "4000000000000002",
            "chargeCustomerFail": "4000000000000341", "chargeDeclinedInsufficientFunds": "4000000000009995",
            "chargeDeclinedLostCard": "4000000000009987", "chargeDeclinedStolenCard": "4000000000009979",
            "chargeDeclinedFraudulent": "4100000000000019", "chargeDeclinedExpiredCard": "4000000000000069",
            "chargeDeclinedIncorrectCvc": "4000000000000127", "chargeDeclinedProcessingError": "4000000000000119",
        ]
        var aliases: [String: String] = [:]
        for (name, number) in names {
            aliases["pm_card_\(name)"] = number
            aliases["tok_\(name)"] = number
        }
        return aliases
    }()

    /// The profile of `number`, or the card error a real card network would give.
    public static func profile(number rawNumber: String, expMonth: Int, expYear: Int, cvc: String?, now: Int)
        throws(JunctionError) -> Profile
    {
        let number = rawNumber.filter { $0 != " " && $0 != "-" }
        guard number.count >= 12, number.count <= 19, number.allSatisfy({ $0.isASCII && $0.isNumber }),
            luhnValid(number)
        else {
            throw .card(code: "incorrect_number", param: "card[number]", message: "Your card number is incorrect.")
        }
        guard (1...12).contains(expMonth) else {
            throw .card(
                code: "invalid_expiry_month", param: "card[exp_month]",
                message: "Your card's expiration month is invalid.")
        }
        let date = Calendar(identifier: .gregorian).dateComponents(
            in: TimeZone(identifier: "UTC")!, from: Date(timeIntervalSince1970: TimeInterval(now)))
        let year = expYear < 100 ? 2000 + expYear : expYear
        if year < date.year! || (year == date.year! && expMonth < date.month!) || year > date.year! + 50 {
            throw .card(
                code: "invalid_expiry_year", param: "card[exp_year]", message: "Your card's expiration year is invalid."
            )
        }
        if let cvc, !(cvc.count == 3 || cvc.count == 4) || !cvc.allSatisfy({ $0.isASCII && $0.isNumber }) {
            throw .card(code: "invalid_cvc", param: "card[cvc]", message: "Your card's security code is invalid.")
        }
        let behaviour = behaviours[number] ?? ("credit", nil, false)
        return Profile(
            brand: brand(of: number), funding: behaviour.funding, country: "US", last4: String(number.suffix(4)),
            fingerprint: fingerprint(number), decline: behaviour.decline, bypassPending: behaviour.bypass)
    }

    static func brand(of number: String) -> String {
        if number.hasPrefix("4") { return "visa" }
        if number.hasPrefix("34") || number.hasPrefix("37") { return "amex" }
        if number.hasPrefix("6011") || number.hasPrefix("65") { return "discover" }
        if let two = Int(number.prefix(2)), (51...55).contains(two) { return "mastercard" }
        if let four = Int(number.prefix(4)), (2221...2720).contains(four) { return "mastercard" }
        if number.hasPrefix("35") { return "jcb" }
        if number.hasPrefix("36") || number.hasPrefix("30") { return "diners" }
        return "unknown"
    }

    /// The same number always has the same fingerprint; the number cannot be recovered from it.
    static func fingerprint(_ number: String) -> String {
        let digest = SHA256.hash(data: Data("junction-card-fingerprint:\(number)".utf8))
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        return String(digest.prefix(16).map { alphabet[Int($0) % alphabet.count] })
    }

    static func luhnValid(_ number: String) -> Bool {
        var sum = 0
        for (index, character) in number.reversed().enumerated() {
            var digit = Int(String(character))!
            if index % 2 == 1 {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
        }
        return sum % 10 == 0
    }
}
