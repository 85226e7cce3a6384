import AsyncHTTPClient
import ConnectModel
import Foundation
import JunctionDomain
import JunctionStorage
import NIOCore
import ServiceLifecycle

/// Delivers webhook events (E2): claims due deliveries, POSTs each signed as the official SDK
/// verifies, and records the answer (``DeliveryAttempts``: 2xx is done, anything else is
/// retried with back-off on Junction's clock). State lives in the database, so a restart loses
/// and doubles nothing, and instances sharing one PostgreSQL claim disjoint deliveries.
struct DeliveryWorker: Service {
    let dependencies: Dependencies
    let gate: StartGate
    var client: HTTPClient = Self.webhooks
    /// Redirects are not followed, as Stripe does not follow them: a 3xx is a failed attempt. (A
    /// client that followed them would reach, and report on, any host the endpoint points to.)
    static let webhooks: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        // As many connections to one host as attempts under way: deliveries to endpoints on one
        // host (every tenant's localhost) never queue behind each other's slow answers, and the
        // timeout counts from the attempt, not from a wait in the pool.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = maxInFlight
        // A refused connection is a failed attempt at once, retried on the delivery's own back-off
        // (as Stripe reports one): the client's own reconnecting would hold the attempt, and one
        // of the worker's slots, for the whole timeout on every endpoint that has gone away.
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()
    static let timeout: TimeAmount = .seconds(10)
    /// Attempts under way at once. Each runs on its own: an endpoint that answers slowly (up to
    /// ``timeout``) holds only its own attempt, never the deliveries to everyone else.
    static let maxInFlight = 64
    /// Of which at most this many retries and deliveries to failing endpoints (``DeliveryLane``):
    /// however many of those fall due at once (a clock moved by days, endpoints gone dark), the
    /// rest of the worker stays free for endpoints that answer.
    static let maxFailingInFlight = 48
    /// And at most this many to any one endpoint, so that one tenant's backlog does not take the
    /// attempts of all the others.
    static let maxPerEndpoint = 8

    func run() async throws {
        let sweep = Every(.seconds(5))
        let housekeeping = Every(.seconds(300))
        let inFlight = AttemptsInFlight()
        await withDiscardingTaskGroup { group in
            await PollingLoop(
                dependencies: dependencies, gate: gate, name: "webhook delivery", interval: .milliseconds(100)
            )
            .run {
                if sweep.due() {
                    // Listen sessions whose listener stopped polling end, and their deliveries fail.
                    _ = try await dependencies.store.expireListenSessions(
                        wall: Int(Date().timeIntervalSince1970), now: dependencies.clock.now())
                }
                if housekeeping.due() {
                    try await dependencies.store.forgetOldIdempotencyKeys(now: dependencies.clock.now())
                }
                let (total, failing) = inFlight.counts
                let room = DeliveryRoom(
                    total: min(20, Self.maxInFlight - total), failing: Self.maxFailingInFlight - failing,
                    perEndpoint: Self.maxPerEndpoint)
                guard room.total > 0 else { return false }
                let claim = Identifiers.make("claim")
                let jobs: [DeliveryJob]
                do {
                    jobs = try await dependencies.store.claimDeliveries(
                        now: dependencies.clock.now(), room: room, lease: ListenSessions.lease, session: nil,
                        claim: claim)
                } catch StoreError.unavailable(let reason) {
                    // The claim may have been written before the connection was lost: hand its
                    // deliveries back once the database answers, rather than after the lease.
                    let store = dependencies.store
                    dependencies.bookkeeping.later("the deliveries of \(claim)") {
                        try await store.releaseDeliveries(claim: claim)
                    }
                    throw StoreError.unavailable(reason)
                }
                for job in jobs {
                    inFlight.add(1, lane: job.lane)
                    group.addTask {
                        await deliver(job)
                        inFlight.add(-1, lane: job.lane)
                    }
                }
                return !jobs.isEmpty
            }
            // Stopping gracefully: nothing more is claimed, and the attempts under way finish and
            // are recorded (the group waits for them), so none is sent twice after its lease.
        }
    }

    /// One attempt.
    func deliver(_ job: DeliveryJob) async {
        guard let url = job.url else { return }
        let attempts = dependencies.deliveryAttempts
        var status: Int?
        var failure: String?
        let started = ContinuousClock.now
        let lateBy = dependencies.clock.now() - (job.delivery.nextAttemptAt ?? job.delivery.created)
        defer {
            dependencies.metrics.webhookAttempt(
                lateBy: lateBy, duration: ContinuousClock.now - started,
                succeeded: status.map { (200..<300).contains($0) } ?? false)
        }
        do {
            // A name that resolved to a public address when the endpoint was made may not now.
            try await dependencies.webhookEndpoints.check(url)
            let (payload, signature) = try await attempts.signedPayload(job)
            let response = try await client.execute(
                Self.request(url: url, payload: ByteBuffer(bytes: payload), signature: signature),
                timeout: Self.timeout)
            status = Int(response.status.code)
            _ = try? await response.body.collect(upTo: 64 * 1024)
        } catch let refusal as JunctionError {
            failure = refusal.message
        } catch {
            failure = String(describing: error)
        }
        // Recorded within the delivery's lease even across a database restart: an attempt that
        // is made but not recorded would be made again, and the event sent twice.
        await StoreRetry.persistently(
            for: .seconds(ListenSessions.lease / 2), logger: dependencies.logger,
            what: "webhook attempt \(job.delivery.attempts + 1) of \(job.delivery.id)"
        ) { [status, failure] in
            try await attempts.record(job.delivery, status: status, error: failure)
        }
    }

    static func request(url: String, payload: ByteBuffer, signature: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for header in Webhooks.postHeaders(signature: signature) {
            request.headers.add(name: header.name, value: header.value)
        }
        request.body = .bytes(payload)
        return request
    }
}

/// How many tasks are under way.
final class InFlight: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    var count: Int { lock.withLock { value } }

    func add(_ delta: Int) { lock.withLock { value += delta } }
}

/// How many attempts are under way, in all and in the failing lane.
final class AttemptsInFlight: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    private var failing = 0

    var counts: (total: Int, failing: Int) { lock.withLock { (total, failing) } }

    func add(_ delta: Int, lane: DeliveryLane) {
        lock.withLock {
            total += delta
            if lane == .failing { failing += delta }
        }
    }
}
