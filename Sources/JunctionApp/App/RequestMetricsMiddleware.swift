import Hummingbird
import JunctionStorage

/// Counts and times every request by route and status, with the time it spent in the database
/// (``DatabaseMeter``), for `/metrics`.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = JunctionContext
    let metrics: JunctionMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        let meter = DatabaseMeter()
        // Unmatched paths share one series: a scanner's paths must not each make their own.
        let route = { context.endpointPath ?? "unmatched" }
        do {
            let response = try await DatabaseMeter.$current.withValue(meter) { try await next(request, context) }
            metrics.request(
                route: route(), method: request.method, status: Int(response.status.code),
                duration: ContinuousClock.now - start, database: meter)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.request(
                route: route(), method: request.method, status: Int(status), duration: ContinuousClock.now - start,
                database: meter)
            throw error
        }
    }
}
