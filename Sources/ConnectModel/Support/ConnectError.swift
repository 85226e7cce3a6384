/// A refusal decided by a Connect rule, independent of how it reaches the client.
///
/// The HTTP layer maps ``Kind`` to a status code and Stripe's error body.
public struct ConnectError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// 400 `invalid_request_error`.
        case invalidRequest
        /// 403: no access to this account, or not enough permissions.
        case permission
        /// 404 `resource_missing`.
        case notFound
        /// 401.
        case authentication
        /// 409: a conflicting write (for example a unique email).
        case conflict
    }

    public var kind: Kind
    public var code: String?
    public var message: String
    public var param: String?

    public init(_ kind: Kind, code: String? = nil, message: String, param: String? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.param = param
    }

    public var description: String { message }

    public static func invalid(_ message: String, param: String? = nil, code: String? = nil) -> ConnectError {
        ConnectError(.invalidRequest, code: code, message: message, param: param)
    }

    public static func missing(_ param: String, message: String? = nil) -> ConnectError {
        ConnectError(
            .invalidRequest, code: "parameter_missing", message: message ?? "Missing required param: \(param).",
            param: param)
    }

    public static func noSuch(_ noun: String, _ id: String, param: String = "id") -> ConnectError {
        ConnectError(.notFound, code: "resource_missing", message: "No such \(noun): '\(id)'", param: param)
    }
}
