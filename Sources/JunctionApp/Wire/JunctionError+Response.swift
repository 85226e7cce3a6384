import ConnectModel
import Hummingbird
import JunctionStorage
import NIOCore
import StripeForm

/// Where an error is answered, which decides its shape.
enum ErrorSurface {
    /// The Stripe API: Stripe's error object.
    case api
    /// `/oauth/*`: OAuth's `{"error","error_description"}`.
    case oauth
    /// The control API: Stripe's error object, and OAuth's shape for OAuth refusals (400).
    case control
}

/// The one place an error becomes what a client sees.
extension JunctionError {
    /// Any error a handler or middleware can throw, in Junction's vocabulary.
    static func from(_ error: any Error) -> JunctionError {
        switch error {
        case let error as JunctionError:
            return error
        case let error as FormError:
            return JunctionError(.invalidRequest, code: error.code, message: error.message, param: error.param)
        case StoreError.duplicate(let field):
            return .alreadyExists("The \(field) is already taken.", param: field)
        case StoreError.platformConnectionExists:
            return .accountUnavailable("this account")
        case StoreError.unavailable(let reason):
            return JunctionError(
                .unavailable, message: "\(reason) Retry the request; it is safe with the same Idempotency-Key.")
        default:
            // The details go to the server's log with the request id, not to the client (L4).
            return .internal(
                "An unexpected error occurred in Junction. Its log has the details under this request's Request-Id.")
        }
    }

    var status: HTTPResponse.Status {
        switch kind {
        case .invalidRequest, .idempotency: .badRequest
        case .authentication: .unauthorized
        case .permission: .forbidden
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .conflict: .conflict
        case .tooLarge: .contentTooLarge
        case .card: HTTPResponse.Status(code: 402)
        case .internal: .internalServerError
        case .unavailable: .serviceUnavailable
        }
    }

    /// Stripe's error `type`.
    var type: String {
        switch kind {
        case .card: "card_error"
        case .idempotency: "idempotency_error"
        case .internal, .unavailable: "api_error"
        default: "invalid_request_error"
        }
    }

    /// `{"error": {"type", "code", "doc_url", "message", "param", "decline_code", …}}`.
    var stripeJSON: JSONValue {
        var error: [String: JSONValue] = ["type": .string(type), "message": .string(message)]
        if let code {
            error["code"] = .string(code)
            error["doc_url"] = .string(Self.docURL(code: code))
        }
        if let param { error["param"] = .string(param) }
        if let declineCode { error["decline_code"] = .string(declineCode) }
        for (key, value) in extra { error[key] = value }
        return ["error": .object(error)]
    }

    /// The title of the page that shows the error to a person.
    var pageTitle: String {
        switch kind {
        case .notFound: "Not found"
        case .permission, .authentication: "Not allowed"
        case .tooLarge: "Too large"
        case .internal: "Something went wrong"
        default: "This request cannot be completed"
        }
    }

    /// `{"error": code, "error_description": message}`.
    var oauthJSON: JSONValue {
        ["error": .string(oauthCode), "error_description": .string(message)]
    }

    func response(on surface: ErrorSurface) -> Response {
        switch surface {
        case .api: return JSONResponse.make(status: status, body: stripeJSON.serialized())
        case .oauth: return JSONResponse.make(status: status, body: oauthJSON.serialized())
        case .control:
            if isOAuth { return JSONResponse.make(status: .badRequest, body: oauthJSON.serialized()) }
            return JSONResponse.make(status: status, body: stripeJSON.serialized())
        }
    }
}

/// JSON responses.
enum JSONResponse {
    static func make(status: HTTPResponse.Status = .ok, body: [UInt8]) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        make(status: status, body: value.serialized())
    }
}
