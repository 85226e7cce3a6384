import AsyncHTTPClient
import ConnectModel
import Foundation
import JunctionStorage
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// Opens once the migrations have run; services that need the schema wait for it.
actor StartGate {
    private var open = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if open { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func openGate() {
        open = true
        waiters.forEach { $0.resume() }
        waiters = []
    }
}

/// Set once, when the server starts shutting down.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false

    var isStopped: Bool { lock.withLock { stopped } }
    func stop() { lock.withLock { stopped = true } }
}

/// Delivers webhook events (E2): claims due deliveries, POSTs each signed as the official SDK
/// verifies, treats 2xx as done and retries anything else with back-off on Junction's clock.
/// State lives in the database, so a restart loses and doubles nothing, and instances sharing
/// one PostgreSQL claim disjoint deliveries.
struct DeliveryWorker: Service {
    let services: JunctionServices
    let gate: StartGate
    var client: HTTPClient = .shared
    /// How long a claimer owns a delivery before another may retry it.
    static let lease = 60
    static let timeout: TimeAmount = .seconds(10)

    func run() async throws {
        await gate.wait()
        let stopping = StopFlag()
        // A graceful shutdown stops the claiming but lets the attempts in flight finish and be
        // recorded: cut short, a sent delivery would be sent again after its lease.
        await withGracefulShutdownHandler {
            await poll(until: stopping)
        } onGracefulShutdown: {
            stopping.stop()
        }
    }

    private func poll(until stopping: StopFlag) async {
        var nextSweep = ContinuousClock.now
        while !stopping.isStopped && !Task.isCancelled {
            if ContinuousClock.now >= nextSweep {
                nextSweep = ContinuousClock.now + .seconds(5)
                do {
                    _ = try await services.store.expireListenSessions(
                        wall: Int(Date().timeIntervalSince1970), now: services.clock.now())
                } catch {
                    services.logger.error(
                        "webhook delivery: could not end idle listen sessions: \(String(reflecting: error))")
                }
            }
            let jobs: [DeliveryJob]
            do {
                // Another instance on the database may have moved the clock.
                services.clock.observe(offset: try await services.store.clockOffset())
                jobs = try await services.store.claimDeliveries(
                    now: services.clock.now(), limit: 20, lease: Self.lease, session: nil)
            } catch {
                services.logger.error("webhook delivery: could not claim deliveries: \(String(reflecting: error))")
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            if jobs.isEmpty {
                try? await Task.sleep(for: .milliseconds(100))
                continue
            }
            await withTaskGroup(of: Void.self) { group in
                for job in jobs { group.addTask { await deliver(job) } }
            }
        }
    }

    /// A webhook POST as Stripe sends it (the listener forwards the same).
    static func request(url: String, payload: ByteBuffer, signature: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.headers.add(name: "User-Agent", value: "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
        request.headers.add(name: "Stripe-Signature", value: signature)
        request.body = .bytes(payload)
        return request
    }

    /// One attempt.
    func deliver(_ job: DeliveryJob) async {
        let pending = (try? await services.store.pendingDeliveries(of: [job.event.id])[job.event.id]) ?? 1
        let payload = job.event.rendered(for: job.delivery.owner, pendingWebhooks: pending).serialized()
        // The receiver checks the timestamp against its own clock, so it is the wall clock's.
        let signature = Webhooks.signature(
            payload: payload, secret: job.secret, timestamp: Int(Date().timeIntervalSince1970))
        guard let url = job.url else { return }
        let request = Self.request(url: url, payload: ByteBuffer(bytes: payload), signature: signature)
        var status: Int?
        var failure: String?
        do {
            let response = try await client.execute(request, timeout: Self.timeout)
            status = Int(response.status.code)
            _ = try? await response.body.collect(upTo: 64 * 1024)
        } catch {
            failure = String(describing: error)
        }
        let succeeded = status.map { (200..<300).contains($0) } ?? false
        let now = services.clock.now()
        let attempt = job.delivery.attempts + 1
        let next = succeeded ? nil : Webhooks.retryDelay(afterAttempt: attempt).map { now + $0 }
        do {
            try await services.store.finishDelivery(
                job.delivery.id, succeeded: succeeded, status: status, error: failure, nextAttemptAt: next, now: now)
        } catch {
            services.logger.error(
                "webhook delivery: could not record attempt \(attempt) of \(job.delivery.id): \(String(reflecting: error))"
            )
        }
    }
}
