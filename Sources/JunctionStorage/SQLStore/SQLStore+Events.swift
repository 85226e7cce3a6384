import ConnectModel
import Foundation
import SQLKit

extension SQLStore: EventStore {
    public func event(_ id: String) async throws -> Event? {
        try await read { session in
            try await session.raw("SELECT document FROM events WHERE id = \(bind: id)").document(Event.self)
        }
    }

    public func events(account: String, application: String?, filter: EventFilter, page: PageRequest) async throws
        -> Page<Event>
    {
        try await read { session in
            var query: SQLQueryString = "SELECT document FROM events WHERE (account = \(bind: account)"
            if let application { query += " OR application = \(bind: application)" }
            query += ")"
            if !filter.types.isEmpty {
                var alternatives: [SQLQueryString] = []
                if !filter.exactTypes.isEmpty { alternatives.append("type IN (\(binds: filter.exactTypes))") }
                for pattern in filter.likePatterns { alternatives.append("type LIKE \(bind: pattern) ESCAPE '\\'") }
                query += " AND (" + alternatives.joined(separator: " OR ") + ")"
            }
            if let success = filter.deliverySuccess {
                let unfinished: SQLQueryString = """
                    SELECT 1 FROM webhook_deliveries d
                    WHERE d.event = events.id AND d.status <> \(bind: DeliveryStatus.succeeded.rawValue)
                    """
                query += success ? " AND NOT EXISTS (" + unfinished + ")" : " AND EXISTS (" + unfinished + ")"
            }
            return try await session.page(
                query, order: "seq", createdColumn: "created", page: page, noun: "event",
                seqOf: { id in
                    // Only an event this list could hold: another tenant's ids are "no such event",
                    // not a way to learn they exist (L8 of the security review).
                    var cursor: SQLQueryString =
                        "SELECT seq FROM events WHERE id = \(bind: id) AND (account = \(bind: account)"
                    if let application { cursor += " OR application = \(bind: application)" }
                    return try await session.raw(cursor + ")").first(decodingColumn: "seq", as: Int.self)
                }, decode: { try await $0.documents(Event.self) })
        }
    }

    public func pendingDeliveries(of events: [String]) async throws -> [String: Int] {
        guard !events.isEmpty else { return [:] }
        struct Count: Decodable {
            var event: String
            var pending: Int
        }
        return try await read { session in
            let counts = try await session.raw(
                """
                SELECT event, COUNT(*) AS pending FROM webhook_deliveries
                WHERE status = \(literal: DeliveryStatus.pending.rawValue) AND event IN (\(binds: events)) GROUP BY event
                """
            ).rows(Count.self)
            return Dictionary(counts.map { ($0.event, $0.pending) }, uniquingKeysWith: +)
        }
    }
}

extension SQLSession {
    /// The kinds of object events are delivered to, as literals: the condition of the partial
    /// index `objects_endpoints` (migration 18), which a bound value would not show the planner.
    static let endpointKinds: SQLQueryString =
        "\(literals: [ObjectKind.webhookEndpoint.rawValue, ObjectKind.listenSession.rawValue], joinedBy: ", ")"

    /// Stores an event and, in the same transaction, one delivery for every endpoint that takes
    /// it (E2). Storage finds the candidates — the endpoints of the event's account, and those of
    /// the applications connected to it or (for `account.application.*`) the one it is about —
    /// and ``WebhookTarget/receives(_:as:wall:)`` decides.
    func insertEvent(_ event: Event) async throws {
        try await raw(
            """
            INSERT INTO events (id, account, application, type, created, document)
            VALUES (\(bind: event.id), \(bind: event.account), \(bind: event.application), \(bind: event.type.rawValue),
                    \(bind: event.created), \(bind: try JSONColumn.encode(event)))
            """
        ).run()
        let kinds = Self.endpointKinds
        var candidates: [(ObjectRow, WebhookTarget.Relation)] = try await raw(
            """
            SELECT \(unsafeRaw: ObjectRow.columns) FROM objects
            WHERE account = \(bind: event.account) AND type IN (\(kinds)) AND deleted_at IS NULL
            """
        ).rows(ObjectRow.self).map { ($0, .own) }
        candidates += try await raw(
            """
            SELECT \(unsafeRaw: Self.prefixed(ObjectRow.columns, "o")) FROM objects o
            JOIN applications a ON a.account = o.account
            JOIN connections c ON c.application = a.id
            WHERE c.account = \(bind: event.account) AND c.ended_at IS NULL
              AND o.type IN (\(kinds)) AND o.deleted_at IS NULL
            """
        ).rows(ObjectRow.self).map { ($0, .connectedApplication) }
        if let application = event.application {
            candidates += try await raw(
                """
                SELECT \(unsafeRaw: Self.prefixed(ObjectRow.columns, "o")) FROM objects o
                JOIN applications a ON a.account = o.account
                WHERE a.id = \(bind: application) AND o.type IN (\(kinds)) AND o.deleted_at IS NULL
                """
            ).rows(ObjectRow.self).map { ($0, .connectedApplication) }
        }
        let wall = Int(Date().timeIntervalSince1970)
        var seen = Set<String>()
        for (row, relation) in candidates {
            guard let target = WebhookTarget(try row.object()), target.receives(event, as: relation, wall: wall),
                seen.insert(target.id).inserted
            else { continue }
            let mode: DeliveryMode = target.scope == .listen ? .pull : .push
            try await raw(
                """
                INSERT INTO webhook_deliveries (id, event, endpoint, owner, status, attempts, next_attempt_at, created, updated, mode)
                VALUES (\(bind: Identifiers.make("whd")), \(bind: event.id), \(bind: target.id), \(bind: target.owner),
                        \(bind: DeliveryStatus.pending.rawValue), 0, \(bind: event.created), \(bind: event.created),
                        \(bind: event.created), \(bind: mode.rawValue))
                """
            ).run()
        }
    }

    /// `a, b` as `o.a, o.b`.
    static func prefixed(_ columns: String, _ table: String) -> String {
        columns.split(separator: ",").map { "\(table).\($0.trimmingCharacters(in: .whitespaces))" }.joined(
            separator: ", ")
    }
}
