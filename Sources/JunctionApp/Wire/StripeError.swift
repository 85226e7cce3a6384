import ConnectModel
import Hummingbird
import JunctionStorage
import StripeForm

/// An error as Stripe puts it on the wire: `{"error":{"type","code","message","param"}}`.
public struct StripeError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var type: String
    public var code: String?
    public var message: String
    public var param: String?
    public var declineCode: String?
    /// Further fields of the error object (a declined payment's `payment_intent`, `charge`).
    public var extra: [String: JSONValue] = [:]

    public init(
        status: HTTPResponse.Status, type: String = "invalid_request_error", code: String? = nil, message: String,
        param: String? = nil
    ) {
        self.status = status
        self.type = type
        self.code = code
        self.message = message
        self.param = param
    }

    public var json: JSONValue {
        var error: [String: JSONValue] = ["type": .string(type), "message": .string(message)]
        if let code {
            error["code"] = .string(code)
            error["doc_url"] = .string(
                "https://stripe.com/docs/error-codes/\(code.replacingOccurrences(of: "_", with: "-"))")
        }
        if let param { error["param"] = .string(param) }
        if let declineCode { error["decline_code"] = .string(declineCode) }
        for (key, value) in extra { error[key] = value }
        return ["error": .object(error)]
    }

    /// Maps every error a handler can throw to what the client sees.
    public static func from(_ error: any Error) -> StripeError {
        switch error {
        case let error as StripeError:
            return error
        case let error as FormError:
            return StripeError(
                status: HTTPResponse.Status(code: error.status), code: error.code, message: error.message,
                param: error.param)
        case let error as CardError:
            var stripe = StripeError(
                status: HTTPResponse.Status(code: 402), type: "card_error", code: error.code, message: error.message,
                param: error.param)
            stripe.declineCode = error.declineCode
            return stripe
        case let error as ConnectError:
            let status: HTTPResponse.Status =
                switch error.kind {
                case .invalidRequest: .badRequest
                case .permission: .forbidden
                case .notFound: .notFound
                case .authentication: .unauthorized
                case .conflict: .conflict
                }
            return StripeError(status: status, code: error.code, message: error.message, param: error.param)
        case StoreError.duplicate(let field):
            return StripeError(
                status: .badRequest, code: "resource_already_exists", message: "The \(field) is already taken.",
                param: field)
        case StoreError.platformConnectionExists:
            return StripeError(
                status: .badRequest, code: "account_unavailable",
                message: "This account is already connected to another platform (single-platform policy).")
        default:
            return StripeError(
                status: .internalServerError, type: "api_error",
                message: "An unexpected error occurred in Junction: \(String(describing: error))")
        }
    }

    // Errors the wire protocol fixes word for word.

    static func missingKey() -> StripeError {
        StripeError(
            status: .unauthorized,
            message:
                "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
        )
    }

    static func invalidKey(_ key: String) -> StripeError {
        StripeError(status: .unauthorized, message: "Invalid API Key provided: \(masked(key))")
    }

    static func noAccess(key: String, account: String) -> StripeError {
        StripeError(
            status: .forbidden, code: "account_invalid",
            message:
                "The provided key '\(masked(key))' does not have access to account '\(account)' (or that account does not exist). Application access may have been revoked."
        )
    }

    static func readOnly(account: String) -> StripeError {
        StripeError(
            status: .forbidden, code: "more_permissions_required_for_application",
            message:
                "This application does not have the required permissions for this endpoint on account '\(account)'.")
    }

    /// `sk_test_****abcd`: the key's prefix and last four characters only.
    static func masked(_ key: String) -> String {
        let prefixes = ["sk_test_", "pk_test_", "rk_test_", "sk_live_", "pk_live_"]
        let prefix = prefixes.first { key.hasPrefix($0) } ?? ""
        let last4 = key.count > prefix.count + 4 ? String(key.suffix(4)) : ""
        return "\(prefix)****\(last4)"
    }
}
