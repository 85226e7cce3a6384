/// Which share of the delivery worker's attempts a delivery competes for. Attempts to endpoints
/// that are failing (a retry, or any delivery to an endpoint with one pending) may hold only part
/// of the worker, so endpoints that answer never wait behind those that do not.
public enum DeliveryLane: Int, Sendable, CaseIterable {
    /// A first attempt at an endpoint with no failed attempt pending.
    case answering = 0
    /// A retry, or a delivery to an endpoint that has one.
    case failing = 1
}
