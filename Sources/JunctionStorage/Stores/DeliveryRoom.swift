/// How many deliveries one claim may take, and how they are shared out.
public struct DeliveryRoom: Sendable, Equatable {
    /// At most this many in all; first attempts at answering endpoints are taken first.
    public var total: Int
    /// Of which at most this many in the `DeliveryLane.failing` lane.
    public var failing: Int
    /// At most this many under way per endpoint, counting those already claimed (by anyone)
    /// whose lease runs: one endpoint's backlog never takes every attempt.
    public var perEndpoint: Int

    public init(total: Int, failing: Int, perEndpoint: Int) {
        self.total = max(0, total)
        self.failing = max(0, min(failing, total))
        self.perEndpoint = max(0, perEndpoint)
    }

    /// A `junction listen` session: one endpoint, pulled by one listener.
    public static func session(_ limit: Int) -> DeliveryRoom {
        DeliveryRoom(total: limit, failing: limit, perEndpoint: 1_000_000)
    }
}
