import ConnectModel
import Hummingbird

/// Headers every response carries, and Stripe-shaped errors for whatever escaped a handler:
/// `Request-Id`, `Stripe-Version` echoed, `Idempotency-Key` echoed on POST, and
/// `Stripe-Should-Retry: false` on 4xx so the SDK does not retry what cannot succeed.
struct WireMiddleware: RouterMiddleware {
    typealias Context = JunctionContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
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
        if let version = request.headers[.stripeVersion] { response.headers[.stripeVersion] = version }
        if request.method == .post, let key = request.headers[.idempotencyKey] {
            response.headers[.idempotencyKey] = key
        }
        if (400..<500).contains(Int(response.status.code)), response.status != .conflict,
            response.status != .tooManyRequests
        {
            response.headers[.stripeShouldRetry] = "false"
        }
        return response
    }
}
