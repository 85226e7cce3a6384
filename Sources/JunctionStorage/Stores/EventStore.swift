import ConnectModel

/// The event outbox. Events are written by the transactions of the changes they describe
/// (``ObjectTransaction/emit(_:)`` and the account and connection operations), never alone.
public protocol EventStore: Sendable {
    func event(_ id: String) async throws -> Event?
    /// Events on `account`, or about `application`, newest first, filtered by type, deliveries and time.
    func events(account: String, application: String?, filter: EventFilter, page: PageRequest) async throws
        -> Page<Event>
    /// How many deliveries of each event are still pending (`pending_webhooks`).
    func pendingDeliveries(of events: [String]) async throws -> [String: Int]
}
