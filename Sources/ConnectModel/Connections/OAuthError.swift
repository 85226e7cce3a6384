/// A refusal in the OAuth flow, in OAuth's own vocabulary: `{"error": code, "error_description": …}`.
///
/// Only the codes the official SDK knows reach `/oauth/*` responses; `invalid_redirect_uri` and
/// `account_unavailable` are shown on the authorize page and by the control API.
public struct OAuthError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String

    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    /// The HTTP status the SDK expects for the code.
    public var status: Int { code == "invalid_client" ? 401 : 400 }

    public static func invalidRequest(_ message: String) -> OAuthError { OAuthError("invalid_request", message) }
    public static func invalidGrant(_ message: String) -> OAuthError { OAuthError("invalid_grant", message) }
    public static func invalidScope(_ message: String) -> OAuthError { OAuthError("invalid_scope", message) }
    public static func invalidClient(_ message: String) -> OAuthError { OAuthError("invalid_client", message) }

    public static func notConnected(_ account: String) -> OAuthError {
        .invalidClient(
            "This application is not connected to stripe account \(account), or that account does not exist.")
    }

    public static func accountUnavailable(_ account: String) -> OAuthError {
        OAuthError(
            "account_unavailable",
            "Account \(account) is already connected to another platform. An account can be connected to one platform at a time (single-platform policy); create a new account for this platform instead."
        )
    }
}
