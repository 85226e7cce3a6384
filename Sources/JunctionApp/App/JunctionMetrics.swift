import CoreMetrics
import Foundation
import HTTPTypes
import JunctionStorage
import Prometheus
import Synchronization

/// What `/metrics` reports, in Prometheus' text format: requests and their latency per route and
/// status, the time each request spent in the database, the webhook queue and how late and how
/// long deliveries are, and how far renewals are behind. Each application has its own registry
/// (no global bootstrap), so several servers in one process (the tests) never mix their counts.
final class JunctionMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let routes = Mutex<[RouteKey: RouteMetrics]>([:])
    private let attempts = Mutex<[String: CoreMetrics.Timer]>([:])
    private let deliveryDelay: CoreMetrics.Timer
    private let queueDue: CoreMetrics.Gauge
    private let queueScheduled: CoreMetrics.Gauge
    private let renewalLag: CoreMetrics.Gauge

    private struct RouteKey: Hashable {
        var route: String
        var method: HTTPRequest.Method
        var status: Int
    }

    private struct RouteMetrics {
        var requests: CoreMetrics.Counter
        var duration: CoreMetrics.Timer
        var database: CoreMetrics.Timer
        var databaseCalls: CoreMetrics.Recorder
    }

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Requests take from a fraction of a millisecond to seconds (a database that went away).
        factory.defaultDurationHistogramBuckets = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30),
        ]
        factory.defaultValueHistogramBuckets = [0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50]
        self.factory = factory
        deliveryDelay = CoreMetrics.Timer(label: "junction_webhook_delivery_delay_seconds", factory: factory)
        queueDue = CoreMetrics.Gauge(
            label: "junction_webhook_queue_depth", dimensions: [("state", "due")], factory: factory)
        queueScheduled = CoreMetrics.Gauge(
            label: "junction_webhook_queue_depth", dimensions: [("state", "scheduled")], factory: factory)
        renewalLag = CoreMetrics.Gauge(label: "junction_renewal_lag_seconds", factory: factory)
    }

    /// One answered request: `route` is the route's pattern (`/v1/customers/{id}`), never the
    /// path itself, so ids do not make series without end.
    func request(route: String, method: HTTPRequest.Method, status: Int, duration: Duration, database: DatabaseMeter) {
        let key = RouteKey(route: route, method: method, status: status)
        let metrics = routes.withLock { routes in
            if let metrics = routes[key] { return metrics }
            let dimensions = [("route", route), ("method", method.rawValue), ("status", String(status))]
            let metrics = RouteMetrics(
                requests: CoreMetrics.Counter(
                    label: "junction_http_requests_total", dimensions: dimensions, factory: factory),
                duration: CoreMetrics.Timer(
                    label: "junction_http_request_duration_seconds", dimensions: dimensions, factory: factory),
                database: CoreMetrics.Timer(
                    label: "junction_http_request_database_seconds", dimensions: dimensions, factory: factory),
                databaseCalls: CoreMetrics.Recorder(
                    label: "junction_http_request_database_calls", dimensions: dimensions, aggregate: true,
                    factory: factory))
            routes[key] = metrics
            return metrics
        }
        metrics.requests.increment()
        metrics.duration.recordNanoseconds(Self.nanoseconds(duration))
        metrics.database.recordNanoseconds(Int64(database.seconds * 1e9))
        metrics.databaseCalls.record(database.count)
    }

    /// One webhook attempt: how long after it was due it started (seconds of Junction's clock),
    /// and how long the endpoint took to answer, by outcome.
    func webhookAttempt(lateBy: Int, duration: Duration, succeeded: Bool) {
        deliveryDelay.recordSeconds(max(0, lateBy))
        let outcome = succeeded ? "succeeded" : "failed"
        let timer = attempts.withLock { attempts in
            if let timer = attempts[outcome] { return timer }
            let timer = CoreMetrics.Timer(
                label: "junction_webhook_attempt_duration_seconds", dimensions: [("outcome", outcome)],
                factory: factory)
            attempts[outcome] = timer
            return timer
        }
        timer.recordNanoseconds(Self.nanoseconds(duration))
    }

    /// The text of `/metrics`, with the gauges read from the store at this moment.
    func render(store: any DeliveryStore & ObjectStore, now: Int) async throws -> [UInt8] {
        let queue = try await store.deliveryQueue(now: now)
        queueDue.record(queue.due)
        queueScheduled.record(queue.scheduled)
        renewalLag.record(try await store.oldestDue(now: now).map { now - $0 } ?? 0)
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
