import ConnectModel

/// Webhook deliveries (E2): one row per event and endpoint, written with the event; claimed,
/// attempted and rescheduled here.
public protocol DeliveryStore: Sendable {
    /// Claims the deliveries due at `now` (Junction's clock) that fit in `room`, for `lease`
    /// seconds of wall-clock time; two instances never claim the same one. First attempts at
    /// answering endpoints come first, then the failing lane (``DeliveryLane``), each oldest due
    /// first. Without a `session`, the ones the worker pushes; with one, those a `junction listen`
    /// session pulls. `claim` names this claim, for ``releaseDeliveries(claim:)``.
    func claimDeliveries(now: Int, room: DeliveryRoom, lease: Int, session: String?, claim: String) async throws
        -> [DeliveryJob]
    /// Hands back the deliveries of `claim` still pending: a claim whose answer was lost with
    /// the connection would otherwise hold them until its lease ran out.
    func releaseDeliveries(claim: String) async throws
    /// Records an attempt: succeeded, or failed with the next attempt time (`nil`: give up).
    func finishDelivery(_ id: String, succeeded: Bool, status: Int?, error: String?, nextAttemptAt: Int?, now: Int)
        async throws
    /// Deliveries, newest first, with their event's type.
    func deliveries(event: String?, endpoint: String?, owner: String?, limit: Int) async throws -> [WebhookDelivery]
    func delivery(_ id: String) async throws -> WebhookDelivery?
    /// Ends the listen sessions whose listener stopped polling before `wall` (wall-clock time)
    /// and gives up their pending deliveries; returns how many ended.
    func expireListenSessions(wall: Int, now: Int) async throws -> Int
    /// Gives up the pending deliveries of an endpoint (a listen session that ended).
    func abandonDeliveries(endpoint: String, reason: String, now: Int) async throws
    /// The signing secret of `junction listen` on `account` from the device `device`: the one kept,
    /// or `new`, kept from now on (the Stripe CLI's secret is stable per account and device).
    func listenSecret(account: String, device: String, new: String) async throws -> String
    /// The pending deliveries the worker pushes: how many are due at `now` and how many wait
    /// for a later attempt (`/metrics`).
    func deliveryQueue(now: Int) async throws -> DeliveryQueueDepth
}

/// Pending pushed deliveries, due now and scheduled for later.
public struct DeliveryQueueDepth: Sendable, Equatable {
    public var due: Int
    public var scheduled: Int

    public init(due: Int, scheduled: Int) {
        self.due = due
        self.scheduled = scheduled
    }
}
