import ConnectModel
import SQLKit

extension SQLStore: IdempotencyStore {
    /// Rows older than this are forgotten (Stripe keeps keys at least 24 hours).
    static let idempotencyLifetime = 24 * 3600
    /// An in-flight claim older than this belongs to a request that died with its process.
    static let idempotencyLease = 120

    /// A key's state in `idempotency_keys.state`.
    enum IdempotencyState: String, Decodable {
        case inFlight = "in_flight"
        case done
    }

    @discardableResult
    public func forgetOldIdempotencyKeys(now: Int) async throws -> Int {
        try await transaction { session in
            let old = now - Self.idempotencyLifetime
            let count =
                try await session.raw("SELECT COUNT(*) AS n FROM idempotency_keys WHERE created < \(bind: old)")
                .first(decodingColumn: "n", as: Int.self) ?? 0
            try await session.raw("DELETE FROM idempotency_keys WHERE created < \(bind: old)").run()
            return count
        }
    }

    public func claimIdempotent(scope: String, key: String, requestHash: String, claim: String, now: Int) async throws
        -> IdempotencyClaim
    {
        struct Row: Decodable {
            var requestHash: String
            var state: IdempotencyState
            var created: Int
            var response: String?
        }
        return try await transaction { session in
            try await session.raw(
                """
                DELETE FROM idempotency_keys
                WHERE scope = \(bind: scope) AND key = \(bind: key) AND created < \(bind: now - Self.idempotencyLifetime)
                """
            ).run()
            let inserted = try await session.raw(
                """
                INSERT INTO idempotency_keys (scope, key, request_hash, state, created, claim)
                VALUES (\(bind: scope), \(bind: key), \(bind: requestHash), \(bind: IdempotencyState.inFlight.rawValue), \(bind: now), \(bind: claim))
                ON CONFLICT DO NOTHING RETURNING key
                """
            ).all()
            if !inserted.isEmpty { return .started }
            guard
                let row = try await session.raw(
                    """
                    SELECT request_hash, state, created, response FROM idempotency_keys
                    WHERE scope = \(bind: scope) AND key = \(bind: key)
                    """
                ).row(Row.self)
            else { return .started }
            if row.requestHash != requestHash { return .mismatch }
            if row.state == .done, let response = row.response {
                return .replay(try JSONColumn.decode(StoredResponse.self, response))
            }
            if row.created < now - Self.idempotencyLease {
                try await session.raw(
                    """
                    UPDATE idempotency_keys SET created = \(bind: now), claim = \(bind: claim)
                    WHERE scope = \(bind: scope) AND key = \(bind: key)
                    """
                ).run()
                return .started
            }
            return .inFlight
        }
    }

    public func finishIdempotent(scope: String, key: String, response: StoredResponse) async throws {
        let document = try JSONColumn.encode(response)
        try await transaction { session in
            try await session.raw(
                """
                UPDATE idempotency_keys SET state = \(bind: IdempotencyState.done.rawValue), response = \(bind: document)
                WHERE scope = \(bind: scope) AND key = \(bind: key)
                """
            ).run()
        }
    }

    public func releaseIdempotent(scope: String, key: String, claim: String) async throws {
        try await transaction { session in
            try await session.raw(
                """
                DELETE FROM idempotency_keys
                WHERE scope = \(bind: scope) AND key = \(bind: key) AND claim = \(bind: claim)
                AND state = \(bind: IdempotencyState.inFlight.rawValue)
                """
            ).run()
        }
    }
}
