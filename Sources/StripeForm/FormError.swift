/// A request whose parameters cannot be accepted, described the way Stripe describes it.
/// Always a 400 `invalid_request_error` (a body over the size limit is refused before parsing).
public struct FormError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String?
    public var message: String
    public var param: String?

    public init(code: String? = nil, message: String, param: String? = nil) {
        self.code = code
        self.message = message
        self.param = param
    }

    public var description: String { message }

    public static func unknown(_ param: String) -> FormError {
        FormError(code: "parameter_unknown", message: "Received unknown parameter: \(param)", param: param)
    }

    public static func missing(_ param: String) -> FormError {
        FormError(code: "parameter_missing", message: "Missing required param: \(param).", param: param)
    }

    public static func cannotUnset(_ param: String) -> FormError {
        FormError(
            code: "parameter_invalid_empty",
            message:
                "You passed an empty string for '\(param)'. We assume empty values are an attempt to unset a parameter; however '\(param)' cannot be unset. You should remove '\(param)' from your request or supply a non-empty value.",
            param: param)
    }

    public static func malformed(_ message: String, param: String? = nil) -> FormError {
        FormError(message: message, param: param)
    }
}
