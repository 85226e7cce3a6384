import ConnectModel
import SQLKit

extension SQLStore: BalanceStore {
    public func balance(of account: String, now: Int) async throws -> [BalanceAmount] {
        struct Row: Decodable {
            var currency: String
            var available: Int
            var pending: Int
        }
        return try await read { session in
            try await session.raw(
                """
                SELECT currency,
                    CAST(SUM(CASE WHEN available_on <= \(bind: now) THEN net ELSE 0 END) AS BIGINT) AS available,
                    CAST(SUM(CASE WHEN available_on > \(bind: now) THEN net ELSE 0 END) AS BIGINT) AS pending
                FROM balance_transactions WHERE account = \(bind: account) GROUP BY currency ORDER BY currency
                """
            ).rows(Row.self).map { BalanceAmount(currency: $0.currency, available: $0.available, pending: $0.pending) }
        }
    }

    public func accountsWithFundsNewlyAvailable(now: Int, limit: Int) async throws -> [String] {
        try await transaction { session in
            try await session.raw(
                """
                SELECT DISTINCT account FROM balance_transactions
                WHERE announce_at IS NOT NULL AND announce_at <= \(bind: now) LIMIT \(bind: limit)
                """
            ).all(decodingColumn: "account", as: String.self)
        }
    }

    public func balanceTransaction(_ id: String, account: String) async throws -> BalanceEntry? {
        try await read { session in
            try await session.raw(
                "SELECT document FROM balance_transactions WHERE id = \(bind: id) AND account = \(bind: account)"
            ).document(BalanceEntry.self)
        }
    }

    public func balanceTransactions(account: String, type: String?, source: String?, page: PageRequest) async throws
        -> Page<BalanceEntry>
    {
        try await read { session in
            var query: SQLQueryString = "SELECT document FROM balance_transactions WHERE account = \(bind: account)"
            if let type { query += " AND type = \(bind: type)" }
            if let source { query += " AND source = \(bind: source)" }
            return try await session.page(
                query, order: "seq", createdColumn: "created", page: page, noun: "balance transaction",
                seqOf: { id in
                    try await session.raw(
                        "SELECT seq FROM balance_transactions WHERE id = \(bind: id) AND account = \(bind: account)"
                    ).first(decodingColumn: "seq", as: Int.self)
                }, decode: { try await $0.documents(BalanceEntry.self) })
        }
    }
}
