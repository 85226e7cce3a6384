import ConnectModel
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import JunctionStorage
import NIOCore
import StripeForm

/// One authenticated API call, after its parameters were validated.
struct APICall: Sendable {
    var principal: Principal
    var params: Params
    var request: Request
    var context: JunctionContext
    /// The `Stripe-Account` header, when sent.
    var stripeAccount: String?

    /// The account whose objects this call reads and writes: the `Stripe-Account` it was
    /// granted, or the caller's own (for an OAuth token, its connected account).
    var actingAccount: String { stripeAccount ?? principal.account.id }

    /// What events caused by this call report as their request.
    var requestInfo: RequestInfo {
        RequestInfo(
            id: context.requestID, idempotencyKey: request.method == .post ? request.headers[.idempotencyKey] : nil)
    }
}

/// What a handler answers: a status and a JSON object.
struct APIResult: Sendable {
    var status: HTTPResponse.Status = .ok
    var body: JSONValue
}

/// Turns a handler into a route: reads and validates parameters, authenticates, applies
/// idempotency (POST), expands `expand[]` and renders errors the Stripe way. Every API route goes
/// through here, so the wire rules hold the same everywhere.
struct EndpointFactory: Sendable {
    let services: JunctionServices

    /// Bodies larger than this are refused with 413.
    static let maxBodySize = 1 << 20

    /// Adds an API route; what it may do comes from ``AuthorizationTable``.
    func add(
        _ method: HTTPRequest.Method, _ path: String, to router: Router<JunctionContext>, _ schema: ParamSchema,
        _ handler: @escaping @Sendable (APICall) async throws -> APIResult
    ) {
        let access = AuthorizationTable.access(method, path)
        router.on(RouterPath(path), method: method) { request, context in
            try await run(schema, access, handler, request: request, context: context)
        }
    }

    private func run(
        _ schema: ParamSchema, _ access: RouteAccess,
        _ handler: @escaping @Sendable (APICall) async throws -> APIResult,
        request: Request, context: JunctionContext
    ) async throws -> Response {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maxBodySize)
        } catch {
            return render(
                StripeError(
                    status: .contentTooLarge, code: "request_too_large",
                    message: "The request body is larger than \(Self.maxBodySize) bytes."), context: context)
        }
        let principal: Principal
        do {
            principal = try await services.authenticator.principal(for: request)
        } catch {
            return render(StripeError.from(error), context: context)
        }
        let stripeAccount = request.headers[.stripeAccount].flatMap { $0.isEmpty ? nil : $0 }
        // A2–A4, before anything runs: a `Stripe-Account` the caller is not connected to is
        // refused, and the table decides what a connection of its scope may do here.
        let acting = stripeAccount ?? principal.account.id
        var scope: Connection.Scope?
        if stripeAccount != nil || principal.connection != nil {
            do {
                guard let grant = try await services.access.grant(of: principal, on: acting) else {
                    return render(StripeError.noAccess(key: principal.key, account: acting), context: context)
                }
                scope = grant.relation == .owner ? nil : grant.scope
            } catch {
                return render(StripeError.from(error), context: context)
            }
        }
        if let refusal = AuthorizationTable.refusal(access, through: scope, acting: acting) {
            return render(refusal, context: context)
        }

        guard request.method == .post, let key = request.headers[.idempotencyKey], !key.isEmpty else {
            return await execute(
                schema, handler, request: request, body: body, principal: principal, stripeAccount: stripeAccount,
                context: context
            ).response
        }
        if key.count > 255 {
            return render(
                StripeError(
                    status: .badRequest, type: "idempotency_error",
                    message: "Idempotency keys can be at most 255 characters long."), context: context)
        }
        let fingerprint = Self.fingerprint(request: request, body: body, stripeAccount: stripeAccount)
        let claim = try await services.store.claimIdempotent(
            scope: principal.scope, key: key, requestHash: fingerprint, now: services.clock.now())
        switch claim {
        case .inFlight:
            return render(
                StripeError(
                    status: .conflict, code: "idempotency_key_in_use",
                    message:
                        "There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): \(key). Please try again later."
                ), context: context)
        case .mismatch:
            return render(
                StripeError(
                    status: .badRequest, type: "idempotency_error",
                    message:
                        "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '\(key)' if you meant to execute a different request."
                ), context: context)
        case .replay(let stored):
            var response = Self.response(
                status: HTTPResponse.Status(code: stored.status), body: Array(stored.body.utf8))
            response.headers[.idempotentReplayed] = "true"
            response.headers[.originalRequest] = stored.requestID
            return response
        case .started:
            let outcome = await execute(
                schema, handler, request: request, body: body, principal: principal, stripeAccount: stripeAccount,
                context: context)
            do {
                try await services.store.finishIdempotent(
                    scope: principal.scope, key: key,
                    response: StoredResponse(
                        status: Int(outcome.response.status.code), body: String(decoding: outcome.body, as: UTF8.self),
                        requestID: context.requestID))
            } catch {
                // The work is done but its record is not: let a retry find the key free again
                // rather than stuck in flight.
                try? await services.store.releaseIdempotent(scope: principal.scope, key: key)
                context.logger.error("could not store idempotent response: \(error)")
            }
            return outcome.response
        }
    }

    private func execute(
        _ schema: ParamSchema, _ handler: @escaping @Sendable (APICall) async throws -> APIResult,
        request: Request, body: ByteBuffer, principal: Principal, stripeAccount: String?, context: JunctionContext
    ) async -> (response: Response, body: [UInt8]) {
        do {
            let form = try Self.form(request: request, body: body)
            let params = try ParamValidator.validate(form, against: schema)
            let call = APICall(
                principal: principal, params: params, request: request, context: context, stripeAccount: stripeAccount)
            var result = try await handler(call)
            if !params.expand.isEmpty {
                result.body = try await Expansion.apply(
                    params.expand, to: result.body, resolver: services.resolver(for: call))
            }
            let bytes = result.body.serialized()
            return (Self.response(status: result.status, body: bytes), bytes)
        } catch {
            let stripeError = StripeError.from(error)
            if stripeError.status.code >= 500 {
                context.logger.error("request failed: \(error)")
            }
            let bytes = stripeError.json.serialized()
            return (Self.response(status: stripeError.status, body: bytes), bytes)
        }
    }

    /// GET and DELETE carry parameters in the query; POST in the body (and, rarely, the query).
    static func form(request: Request, body: ByteBuffer) throws(FormError) -> FormContainer {
        let parser = FormParser()
        var form = try parser.parse(Array((request.uri.query ?? "").utf8))
        if body.readableBytes > 0 {
            let bodyForm = try parser.parse(body.readableBytesView)
            for (key, node) in bodyForm.entries { form[key] = node }
        }
        return form
    }

    /// What makes two requests "the same" for idempotency.
    static func fingerprint(request: Request, body: ByteBuffer, stripeAccount: String?) -> String {
        var hasher = SHA256()
        hasher.update(data: Data("\(request.method.rawValue) \(request.uri.path)\n\(stripeAccount ?? "")\n".utf8))
        hasher.update(data: Data(body.readableBytesView))
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    func render(_ error: StripeError, context: JunctionContext) -> Response {
        Self.response(status: error.status, body: error.json.serialized())
    }

    static func response(status: HTTPResponse.Status, body: [UInt8]) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension HTTPField.Name {
    static let stripeAccount = Self("Stripe-Account")!
    static let stripeVersion = Self("Stripe-Version")!
    static let stripeShouldRetry = Self("Stripe-Should-Retry")!
    static let idempotencyKey = Self("Idempotency-Key")!
    static let idempotentReplayed = Self("Idempotent-Replayed")!
    static let originalRequest = Self("Original-Request")!
    static let requestId = Self("Request-Id")!
}
