/// Junction's one error vocabulary: every refusal and failure a client can see, decided by a
/// rule, the domain or the wire, independent of how it reaches the client. The HTTP layer
/// renders it in one place, in the shape of the surface it is answered on: Stripe's error
/// object for the API and the control API, OAuth's `{"error","error_description"}` for
/// `/oauth/*`, a message page for people.
public struct JunctionError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// 400 `invalid_request_error`.
        case invalidRequest
        /// 401: no key, or not a valid one.
        case authentication
        /// 403: no access to this account, or not enough permissions.
        case permission
        /// 404 `resource_missing`.
        case notFound
        /// 409: the same request is in flight, or a unique value is taken.
        case conflict
        /// 405: the path exists, the method does not.
        case methodNotAllowed
        /// 413: the body is over the limit.
        case tooLarge
        /// 400 `idempotency_error`: a key reused with other parameters.
        case idempotency
        /// 402 `card_error`: the card was declined or is invalid.
        case card
        /// 500 `api_error`: a fault of Junction's.
        case `internal`
        /// 503 `api_error` with `Stripe-Should-Retry: true`: the database is out of reach for now.
        case unavailable
    }

    public var kind: Kind
    public var code: String?
    public var message: String
    public var param: String?
    /// For card errors: the issuer's reason (`insufficient_funds`).
    public var declineCode: String?
    /// Further fields of the error object (a declined payment's `payment_intent`, `charge`).
    public var extra: [String: JSONValue]
    /// An OAuth refusal: `code` is one of OAuth's error codes (`invalid_grant`, …).
    public var isOAuth: Bool

    public init(
        _ kind: Kind, code: String? = nil, message: String, param: String? = nil, declineCode: String? = nil,
        extra: [String: JSONValue] = [:], isOAuth: Bool = false
    ) {
        self.kind = kind
        self.code = code
        self.message = message
        self.param = param
        self.declineCode = declineCode
        self.extra = extra
        self.isOAuth = isOAuth
    }

    public var description: String { message }

    /// Stripe's page about an error code (`doc_url`).
    public static func docURL(code: String) -> String {
        "https://stripe.com/docs/error-codes/\(code.replacingOccurrences(of: "_", with: "-"))"
    }

    public static func invalid(_ message: String, param: String? = nil, code: String? = nil) -> JunctionError {
        JunctionError(.invalidRequest, code: code, message: message, param: param)
    }

    public static func missing(_ param: String, message: String? = nil) -> JunctionError {
        JunctionError(
            .invalidRequest, code: "parameter_missing", message: message ?? "Missing required param: \(param).",
            param: param)
    }

    public static func noSuch(_ noun: String, _ id: String, param: String = "id") -> JunctionError {
        JunctionError(.notFound, code: "resource_missing", message: "No such \(noun): '\(id)'", param: param)
    }

    /// A value that must be unique is taken (`resource_already_exists`).
    public static func alreadyExists(_ message: String, param: String) -> JunctionError {
        JunctionError(.invalidRequest, code: "resource_already_exists", message: message, param: param)
    }

    /// A card refused by the (simulated) network, or invalid card details: 402 `card_error`.
    public static func card(code: String, declineCode: String? = nil, param: String? = nil, message: String)
        -> JunctionError
    {
        JunctionError(.card, code: code, message: message, param: param, declineCode: declineCode)
    }

    /// An internal fault, described without its details reaching the client's logic.
    public static func `internal`(_ message: String) -> JunctionError {
        JunctionError(.internal, message: message)
    }
}

// MARK: OAuth

extension JunctionError {
    /// A refusal in OAuth's own vocabulary. Only the codes the official SDK knows reach
    /// `/oauth/*` responses; `invalid_redirect_uri` and `account_unavailable` are shown on the
    /// authorize page and by the control API. `invalid_client` is a 401 on `/oauth/*`.
    public static func oauth(_ code: String, _ message: String) -> JunctionError {
        JunctionError(
            code == "invalid_client" ? .authentication : .invalidRequest, code: code, message: message,
            isOAuth: true)
    }

    public static func invalidOAuthRequest(_ message: String) -> JunctionError { .oauth("invalid_request", message) }
    public static func invalidGrant(_ message: String) -> JunctionError { .oauth("invalid_grant", message) }
    public static func invalidScope(_ message: String) -> JunctionError { .oauth("invalid_scope", message) }
    public static func invalidClient(_ message: String) -> JunctionError { .oauth("invalid_client", message) }

    public static func notConnected(_ account: String) -> JunctionError {
        .invalidClient(
            "This application is not connected to stripe account \(account), or that account does not exist.")
    }

    public static func accountUnavailable(_ account: String) -> JunctionError {
        .oauth(
            "account_unavailable",
            "Account \(account) is already connected to another platform. An account can be connected to one platform at a time (single-platform policy); create a new account for this platform instead."
        )
    }

    /// OAuth's code for this error: its own, or `invalid_request` for any other refusal.
    public var oauthCode: String { isOAuth ? (code ?? "invalid_request") : "invalid_request" }
}

// MARK: Errors the wire protocol fixes word for word

extension JunctionError {
    public static func missingKey() -> JunctionError {
        JunctionError(
            .authentication,
            message:
                "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
        )
    }

    public static func invalidKey(_ key: String) -> JunctionError {
        JunctionError(.authentication, message: "Invalid API Key provided: \(masked(key))")
    }

    public static func publishableKey() -> JunctionError {
        JunctionError(
            .authentication,
            message: "This API call cannot be made with a publishable API key. Please use a secret API key.")
    }

    /// A2: no connection to the account (or no such account: the same answer, so ids cannot be probed).
    public static func noAccess(key: String, account: String) -> JunctionError {
        JunctionError(
            .permission, code: "account_invalid",
            message:
                "The provided key '\(masked(key))' does not have access to account '\(account)' (or that account does not exist). Application access may have been revoked."
        )
    }

    /// A4: a write through a `read_only` connection.
    public static func readOnly(account: String) -> JunctionError {
        JunctionError(
            .permission, code: "more_permissions_required_for_application",
            message:
                "This application does not have the required permissions for this endpoint on account '\(account)'.")
    }

    /// `sk_test_****abcd`: the key's prefix and last four characters only.
    public static func masked(_ key: String) -> String {
        let prefixes = ["sk_test_", "pk_test_", "rk_test_", "sk_live_", "pk_live_"]
        let prefix = prefixes.first { key.hasPrefix($0) } ?? ""
        let last4 = key.count > prefix.count + 4 ? String(key.suffix(4)) : ""
        return "\(prefix)****\(last4)"
    }
}
