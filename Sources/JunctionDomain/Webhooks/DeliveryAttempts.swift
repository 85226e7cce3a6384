import ConnectModel
import Foundation
import JunctionStorage

/// Recording the outcome of delivering an event to an endpoint (E2): 2xx is done; anything else
/// is retried on Junction's clock with back-off (``Webhooks/retryDelay(afterAttempt:)``), then
/// given up. The delivery worker and `junction listen`'s reports both go through here.
public struct DeliveryAttempts: Sendable {
    let store: any DeliveryStore & EventStore & DirectoryStore & ObjectStore
    let clock: AdjustableClock

    public init(store: any DeliveryStore & EventStore & DirectoryStore & ObjectStore, clock: AdjustableClock) {
        self.store = store
        self.clock = clock
    }

    /// The delivery's status after the attempt, and when it will be tried again.
    public struct Outcome: Sendable {
        public var status: DeliveryStatus
        public var attempts: Int
        public var nextAttemptAt: Int?
    }

    /// Records attempt number `delivery.attempts + 1`: `status` is the HTTP status the endpoint
    /// answered (`nil`: it could not be reached, `error` says why).
    @discardableResult
    public func record(_ delivery: WebhookDelivery, status: Int?, error: String?) async throws -> Outcome {
        let succeeded = status.map { (200..<300).contains($0) } ?? false
        let now = clock.now()
        let attempt = delivery.attempts + 1
        let next = succeeded ? nil : Webhooks.retryDelay(afterAttempt: attempt).map { now + $0 }
        try await store.finishDelivery(
            delivery.id, succeeded: succeeded, status: status, error: error, nextAttemptAt: next, now: now)
        return Outcome(
            status: succeeded ? .succeeded : (next == nil ? .failed : .pending), attempts: attempt, nextAttemptAt: next)
    }

    /// The event's payload as the endpoint's owner sees it, at the endpoint's API version (else
    /// its owner's default), and its `Stripe-Signature` at wall-clock time (the receiver checks
    /// it against its own clock).
    public func signedPayload(_ job: DeliveryJob) async throws -> (payload: [UInt8], signature: String) {
        let pending = try await store.pendingDeliveries(of: [job.event.id])[job.event.id] ?? 1
        let versions = APIVersions(store: store)
        let version = try await job.apiVersion.asyncOr { try await versions.defaultVersion(of: job.delivery.owner) }
        let payload = try await versions.render(
            job.event, for: job.delivery.owner, pendingWebhooks: pending, at: version
        ).serialized()
        let signature = Webhooks.signature(
            payload: payload, secret: job.secret, timestamp: Int(Date().timeIntervalSince1970))
        return (payload, signature)
    }
}

extension Optional {
    /// The value, or `fallback`'s.
    func asyncOr(_ fallback: () async throws -> Wrapped) async rethrows -> Wrapped {
        if let value = self { return value }
        return try await fallback()
    }
}
