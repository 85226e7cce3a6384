/// `Idempotency-Key`s and the responses they replay, per key holder.
public protocol IdempotencyStore: Sendable {
    /// Claims `key` for the request `claim` (its request id), unless it is taken.
    func claimIdempotent(scope: String, key: String, requestHash: String, claim: String, now: Int) async throws
        -> IdempotencyClaim
    func finishIdempotent(scope: String, key: String, response: StoredResponse) async throws
    /// Gives a key back when its request did nothing (so a retry runs it): only while the
    /// request `claim` still holds it in flight.
    func releaseIdempotent(scope: String, key: String, claim: String) async throws
    /// Forgets the keys older than Stripe keeps them (24 hours), so the table does not grow
    /// without bound (L5 of the security review). The number forgotten.
    @discardableResult
    func forgetOldIdempotencyKeys(now: Int) async throws -> Int
}

/// What happened when a request claimed an idempotency key.
public enum IdempotencyClaim: Sendable, Equatable {
    /// First use: run the request, then ``IdempotencyStore/finishIdempotent(scope:key:response:)``.
    case started
    /// The first request with this key is still running.
    case inFlight
    /// Same key, same parameters, finished: replay this.
    case replay(StoredResponse)
    /// Same key, other parameters.
    case mismatch
}

/// The stored outcome of an idempotent request.
public struct StoredResponse: Sendable, Equatable, Codable {
    public var status: Int
    public var body: String
    public var requestID: String

    public init(status: Int, body: String, requestID: String) {
        self.status = status
        self.body = body
        self.requestID = requestID
    }
}
