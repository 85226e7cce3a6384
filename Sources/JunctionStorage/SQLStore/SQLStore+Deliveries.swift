import ConnectModel
import Foundation
import SQLKit

extension SQLStore: DeliveryStore {
    public func deliveryQueue(now: Int) async throws -> DeliveryQueueDepth {
        struct Row: Decodable {
            var due: Int?
            var scheduled: Int?
        }
        let row = try await read { session in
            try await session.raw(
                """
                SELECT CAST(SUM(CASE WHEN next_attempt_at <= \(bind: now) THEN 1 ELSE 0 END) AS BIGINT) AS due,
                    CAST(SUM(CASE WHEN next_attempt_at > \(bind: now) THEN 1 ELSE 0 END) AS BIGINT) AS scheduled
                FROM webhook_deliveries
                WHERE status = \(literal: DeliveryStatus.pending.rawValue) AND mode = \(bind: DeliveryMode.push.rawValue)
                """
            ).row(Row.self)
        }
        return DeliveryQueueDepth(due: row?.due ?? 0, scheduled: row?.scheduled ?? 0)
    }

    static let deliveryColumns =
        "id, event, endpoint, owner, status, attempts, next_attempt_at, last_status, last_error, created, updated"

    public func claimDeliveries(now: Int, room: DeliveryRoom, lease: Int, session sessionID: String?, claim: String)
        async throws -> [DeliveryJob]
    {
        let wall = Int(Date().timeIntervalSince1970)
        return try await transaction { session in
            let answering = try await Self.claim(
                .answering, limit: room.total, room: room, now: now, wall: wall, lease: lease,
                session: sessionID, claim: claim, in: session)
            let failing = try await Self.claim(
                .failing, limit: min(room.failing, room.total - answering.count), room: room, now: now, wall: wall,
                lease: lease, session: sessionID, claim: claim, in: session)
            var jobs: [DeliveryJob] = []
            for (lane, claimed) in [(DeliveryLane.answering, answering), (.failing, failing)] {
                for delivery in claimed {
                    guard
                        let event = try await session.raw(
                            "SELECT document FROM events WHERE id = \(bind: delivery.event)"
                        ).document(Event.self),
                        let endpoint = try await session.object(
                            delivery.endpoint, account: delivery.owner, lock: false),
                        let target = WebhookTarget(endpoint), target.status == .enabled
                    else {
                        // Stripe stops sending to an endpoint once it is deleted or disabled.
                        try await session.giveUp(
                            where: "id = \(bind: delivery.id)", reason: "endpoint deleted or disabled", now: nil)
                        continue
                    }
                    jobs.append(
                        DeliveryJob(
                            delivery: delivery, event: event, url: target.url, secret: target.secret,
                            apiVersion: target.apiVersion, lane: lane))
                }
            }
            return jobs
        }
    }

    /// Claims up to `limit` due deliveries of one lane, oldest due first, at most
    /// `room.perEndpoint` under way per endpoint (those whose lease runs count, whoever claimed
    /// them). The UPDATE checks the lease again, so instances sharing one PostgreSQL that pick the
    /// same row claim it once: the second waits for the first's row lock, then finds it leased.
    /// (A window function cannot be combined with `FOR UPDATE SKIP LOCKED`.)
    private static func claim(
        _ lane: DeliveryLane, limit: Int, room: DeliveryRoom, now: Int, wall: Int, lease: Int,
        session sessionID: String?,
        claim: String, in session: SQLSession
    ) async throws -> [WebhookDelivery] {
        guard limit > 0 else { return [] }
        // Literal, not bound: the partial index `webhook_deliveries_due` is planned before binding.
        let pending = DeliveryStatus.pending.rawValue
        let whose: SQLQueryString =
            sessionID.map { "d.endpoint = \(bind: $0)" } ?? "d.mode = \(bind: DeliveryMode.push.rawValue)"
        let due = try await session.raw(
            """
            SELECT id FROM (
                SELECT d.id, d.seq, d.next_attempt_at,
                    ROW_NUMBER() OVER (PARTITION BY d.endpoint ORDER BY d.next_attempt_at, d.seq)
                        + COALESCE(p.busy, 0) AS nth
                FROM webhook_deliveries d
                LEFT JOIN (
                    SELECT endpoint, SUM(CASE WHEN locked_until >= \(bind: wall) THEN 1 ELSE 0 END) AS busy,
                        MAX(attempts) AS tried
                    FROM webhook_deliveries WHERE status = \(literal: pending) GROUP BY endpoint
                ) p ON p.endpoint = d.endpoint
                WHERE d.status = \(literal: pending) AND \(whose) AND d.next_attempt_at <= \(bind: now)
                  AND (d.locked_until IS NULL OR d.locked_until < \(bind: wall))
                  AND (CASE WHEN d.attempts = 0 AND COALESCE(p.tried, 0) = 0 THEN 0 ELSE 1 END) = \(bind: lane.rawValue)
            ) due
            WHERE nth <= \(bind: room.perEndpoint)
            ORDER BY next_attempt_at, seq LIMIT \(bind: limit)
            """
        ).all().map { try $0.decode(column: "id", as: String.self) }
        guard !due.isEmpty else { return [] }
        let claimed = try await session.raw(
            """
            UPDATE webhook_deliveries SET locked_until = \(bind: wall + lease), claim = \(bind: claim)
            WHERE id IN (\(binds: due))
              AND status = \(literal: pending) AND (locked_until IS NULL OR locked_until < \(bind: wall))
            RETURNING \(unsafeRaw: Self.deliveryColumns)
            """
        ).rows(WebhookDelivery.self)
        // Sent in the order they were due and written: an endpoint sees its events in order
        // where it can (Stripe promises no order, but a test reads better with one).
        let order = Dictionary(uniqueKeysWithValues: due.enumerated().map { ($1, $0) })
        return claimed.sorted { order[$0.id, default: 0] < order[$1.id, default: 0] }
    }

    public func releaseDeliveries(claim: String) async throws {
        try await transaction { session in
            try await session.raw(
                """
                UPDATE webhook_deliveries SET locked_until = NULL, claim = NULL
                WHERE claim = \(bind: claim) AND status = \(literal: DeliveryStatus.pending.rawValue)
                """
            ).run()
        }
    }

    public func finishDelivery(
        _ id: String, succeeded: Bool, status: Int?, error: String?, nextAttemptAt: Int?, now: Int
    ) async throws {
        let state: DeliveryStatus = succeeded ? .succeeded : (nextAttemptAt == nil ? .failed : .pending)
        try await transaction { session in
            try await session.raw(
                """
                UPDATE webhook_deliveries SET status = \(bind: state.rawValue), attempts = attempts + 1,
                    last_status = \(bind: status), last_error = \(bind: error), next_attempt_at = \(bind: nextAttemptAt),
                    locked_until = NULL, updated = \(bind: now)
                WHERE id = \(bind: id)
                """
            ).run()
        }
    }

    public func deliveries(event: String?, endpoint: String?, owner: String?, limit: Int) async throws
        -> [WebhookDelivery]
    {
        try await transaction { session in
            var query: SQLQueryString = """
                SELECT \(unsafeRaw: SQLSession.prefixed(Self.deliveryColumns, "d")), e.type AS event_type
                FROM webhook_deliveries d JOIN events e ON e.id = d.event WHERE 1 = 1
                """
            if let event { query += " AND d.event = \(bind: event)" }
            if let endpoint { query += " AND d.endpoint = \(bind: endpoint)" }
            if let owner { query += " AND d.owner = \(bind: owner)" }
            query += " ORDER BY d.seq DESC LIMIT \(bind: limit)"
            return try await session.raw(query).rows(WebhookDelivery.self)
        }
    }

    public func delivery(_ id: String) async throws -> WebhookDelivery? {
        try await transaction { session in
            try await session.raw(
                "SELECT \(unsafeRaw: Self.deliveryColumns) FROM webhook_deliveries WHERE id = \(bind: id)"
            ).row(WebhookDelivery.self)
        }
    }

    public func expireListenSessions(wall: Int, now: Int) async throws -> Int {
        try await transaction { session in
            let live = try await session.raw(
                """
                SELECT \(unsafeRaw: ObjectRow.columns) FROM objects
                WHERE type = \(literal: ObjectKind.listenSession.rawValue) AND deleted_at IS NULL
                """
            ).rows(ObjectRow.self).map { try $0.object() }
            var expired = 0
            for var listenSession in live where (WebhookTarget(listenSession)?.expiresAt ?? 0) < wall {
                listenSession.deleted = true
                try await SQLObjectTransaction(session: session).update(listenSession)
                try await session.giveUp(
                    where: "endpoint = \(bind: listenSession.id)", reason: "listen session expired", now: now)
                expired += 1
            }
            return expired
        }
    }

    public func abandonDeliveries(endpoint: String, reason: String, now: Int) async throws {
        try await transaction { session in
            try await session.giveUp(where: "endpoint = \(bind: endpoint)", reason: reason, now: now)
        }
    }

    public func listenSecret(account: String, device: String, new: String) async throws -> String {
        try await transaction { session in
            try await session.raw(
                """
                INSERT INTO listen_secrets (account, device_name, secret) VALUES (\(bind: account), \(bind: device), \(bind: new))
                ON CONFLICT (account, device_name) DO NOTHING
                """
            ).run()
            guard
                let kept = try await session.raw(
                    "SELECT secret FROM listen_secrets WHERE account = \(bind: account) AND device_name = \(bind: device)"
                ).first(decodingColumn: "secret", as: String.self)
            else { return new }
            return kept
        }
    }
}

extension SQLSession {
    /// Marks the pending deliveries `condition` selects as failed for good.
    func giveUp(where condition: SQLQueryString, reason: String, now: Int?) async throws {
        var query: SQLQueryString = """
            UPDATE webhook_deliveries SET status = \(bind: DeliveryStatus.failed.rawValue), last_error = \(bind: reason),
                next_attempt_at = NULL, locked_until = NULL
            """
        if let now { query += ", updated = \(bind: now)" }
        query += " WHERE \(condition) AND status = \(literal: DeliveryStatus.pending.rawValue)"
        try await raw(query).run()
    }
}
