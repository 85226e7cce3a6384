import ConnectModel
import Foundation
import Hummingbird

/// Headers every response carries, and Stripe-shaped errors for whatever escaped a handler:
/// `Request-Id`, `Stripe-Version` echoed, `Idempotency-Key` echoed on POST, and
/// `Stripe-Should-Retry: false` on 4xx so the SDK does not retry what cannot succeed, `true` on 503.
struct WireMiddleware: RouterMiddleware {
    typealias Context = JunctionContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            response = JunctionError(
                .notFound,
                message:
                    "Unrecognized request URL (\(request.method.rawValue): \(request.uri.path)). Junction serves the Stripe API under /v1; see its README for what is implemented."
            ).response(on: .api)
        } catch let error as HTTPError where error.status == .methodNotAllowed {
            response = JunctionError(
                .methodNotAllowed,
                message:
                    "Unrecognized request URL (\(request.method.rawValue): \(request.uri.path)): this method is not allowed here."
            ).response(on: .api)
        } catch let error as any HTTPResponseError where !(error is HTTPError) {
            response = try error.response(from: request, context: context)
        } catch {
            let failure = JunctionError.from(error)
            if failure.kind == .internal { context.logger.error("unhandled error: \(String(reflecting: error))") }
            response = failure.response(on: .api)
        }
        response.headers[.requestId] = context.requestID
        // API answers say the version they were rendered at (EndpointFactory sets it); one that
        // failed before a version was decided says the version asked for, or the newest.
        if request.uri.path.hasPrefix("/v1/"), response.headers[.stripeVersion] == nil {
            let asked = request.headers[.stripeVersion].flatMap(APIVersion.init(named:))
            response.headers[.stripeVersion] = (asked ?? .newest).description
        }
        if request.method == .post, let key = request.headers[.idempotencyKey] {
            response.headers[.idempotencyKey] = key
        }
        if (400..<500).contains(Int(response.status.code)), response.status != .conflict,
            response.status != .tooManyRequests
        {
            response.headers[.stripeShouldRetry] = "false"
        }
        // The database was out of reach (a restart, a full disk): nothing was done, so the SDK
        // may retry, with the same Idempotency-Key.
        if response.status == .serviceUnavailable { response.headers[.stripeShouldRetry] = "true" }
        Self.log(request, response, context: context, duration: ContinuousClock.now - start)
        return response
    }

    /// One line per request at `info`, what a person debugging an integration looks for:
    /// `POST /v1/refunds 200 4.1ms req_… account=acct_… idempotency_key=…`.
    static func log(_ request: Request, _ response: Response, context: Context, duration: Duration) {
        // Built only when it is written: formatting it was 2.7 % of a GET's profile.
        guard context.logger.logLevel <= .info else { return }
        let milliseconds = Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1e3
        var line = "\(request.method.rawValue) \(redacted(request.uri.path)) \(response.status.code) "
        line += String(format: "%.1fms", milliseconds) + " \(context.requestID)"
        if let account = request.headers[.stripeAccount] { line += " account=\(account)" }
        if let key = request.headers[.idempotencyKey] { line += " idempotency_key=\(key)" }
        if response.headers[.idempotentReplayed] != nil { line += " replayed" }
        context.logger.info("\(line)")
    }

    /// Paths that carry a secret (login links, onboarding links) are logged without it.
    static func redacted(_ path: String) -> String {
        for prefix in ["/express/login/", "/connect/onboarding/"] where path.hasPrefix(prefix) {
            return prefix + "…"
        }
        return path
    }
}
