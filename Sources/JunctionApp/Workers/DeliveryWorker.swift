import AsyncHTTPClient
import ConnectModel
import Foundation
import JunctionDomain
import NIOCore
import ServiceLifecycle

/// Delivers webhook events (E2): claims due deliveries, POSTs each signed as the official SDK
/// verifies, and records the answer (``DeliveryAttempts``: 2xx is done, anything else is
/// retried with back-off on Junction's clock). State lives in the database, so a restart loses
/// and doubles nothing, and instances sharing one PostgreSQL claim disjoint deliveries.
struct DeliveryWorker: Service {
    let dependencies: Dependencies
    let gate: StartGate
    var client: HTTPClient = .shared
    static let timeout: TimeAmount = .seconds(10)

    func run() async throws {
        let sweep = Every(.seconds(5))
        await PollingLoop(
            dependencies: dependencies, gate: gate, name: "webhook delivery", interval: .milliseconds(100)
        )
        .run {
            if sweep.due() {
                // Listen sessions whose listener stopped polling end, and their deliveries fail.
                _ = try await dependencies.store.expireListenSessions(
                    wall: Int(Date().timeIntervalSince1970), now: dependencies.clock.now())
            }
            let jobs = try await dependencies.store.claimDeliveries(
                now: dependencies.clock.now(), limit: 20, lease: ListenSessions.lease, session: nil)
            await withTaskGroup(of: Void.self) { group in
                for job in jobs { group.addTask { await deliver(job) } }
            }
            return !jobs.isEmpty
        }
    }

    /// One attempt.
    func deliver(_ job: DeliveryJob) async {
        guard let url = job.url else { return }
        let attempts = dependencies.deliveryAttempts
        var status: Int?
        var failure: String?
        do {
            let (payload, signature) = try await attempts.signedPayload(job)
            let response = try await client.execute(
                Self.request(url: url, payload: ByteBuffer(bytes: payload), signature: signature),
                timeout: Self.timeout)
            status = Int(response.status.code)
            _ = try? await response.body.collect(upTo: 64 * 1024)
        } catch {
            failure = String(describing: error)
        }
        do {
            try await attempts.record(job.delivery, status: status, error: failure)
        } catch {
            dependencies.logger.error(
                "webhook delivery: could not record attempt \(job.delivery.attempts + 1) of \(job.delivery.id): \(String(reflecting: error))"
            )
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
