import ConnectModel
import SQLKit

/// ``ObjectTransaction`` on one session inside a transaction.
struct SQLObjectTransaction: ObjectTransaction {
    let session: SQLSession

    func object(_ id: String, account: String) async throws -> StoredObject? {
        try await session.object(id, account: account, lock: true)
    }

    func insert(_ object: StoredObject) async throws {
        do {
            try await session.raw(
                """
                INSERT INTO objects (id, account, type, customer, parent, status, created, deleted_at, due_at, document)
                VALUES (\(bind: object.id), \(bind: object.account), \(bind: object.kind.rawValue), \(bind: object.customer),
                        \(bind: object.parent), \(bind: object.statusValue), \(bind: object.created),
                        \(bind: object.deleted ? object.created : nil), \(bind: object.dueAt),
                        \(bind: String(decoding: object.document.serialized(), as: UTF8.self)))
                """
            ).run()
        } catch  where isUniqueViolation(error) {
            throw StoreError.duplicate("id")
        }
    }

    func update(_ object: StoredObject) async throws {
        try await session.raw(
            """
            UPDATE objects SET customer = \(bind: object.customer), parent = \(bind: object.parent),
                status = \(bind: object.statusValue),
                deleted_at = CASE WHEN \(bind: object.deleted ? 1 : 0) = 1 THEN COALESCE(deleted_at, created) ELSE NULL END,
                due_at = \(bind: object.dueAt), document = \(bind: String(decoding: object.document.serialized(), as: UTF8.self))
            WHERE id = \(bind: object.id) AND account = \(bind: object.account)
            """
        ).run()
    }

    func exists(account: String, kind: ObjectKind, filter: ObjectFilter) async throws -> Bool {
        let query = session.objectsQuery(account: account, kind: kind, filter: filter) + " LIMIT 1"
        return try await session.raw(query).first() != nil
    }

    func all(account: String, kind: ObjectKind, filter: ObjectFilter) async throws -> [StoredObject] {
        let query = session.objectsQuery(account: account, kind: kind, filter: filter) + " ORDER BY created, seq"
        return try await session.raw(query).rows(ObjectRow.self).map { try $0.object() }
    }

    func emit(_ event: Event) async throws {
        try await session.insertEvent(event)
    }

    func account(_ id: String) async throws -> Account? {
        try await session.account(id, forUpdate: true)
    }

    func application(_ id: String) async throws -> ConnectApplication? {
        try await session.application(id)
    }

    func record(_ entry: BalanceEntry) async throws {
        try await session.raw(
            """
            INSERT INTO balance_transactions
                (id, account, type, source, currency, net, created, available_on, announce_at, document)
            VALUES (\(bind: entry.id), \(bind: entry.account), \(bind: entry.type.rawValue), \(bind: entry.source),
                    \(bind: entry.currency), \(bind: entry.net), \(bind: entry.created), \(bind: entry.availableOn),
                    \(bind: entry.net > 0 && entry.availableOn > entry.created ? entry.availableOn : nil),
                    \(bind: try JSONColumn.encode(entry)))
            """
        ).run()
    }

    func announceAvailableFunds(of account: String, now: Int) async throws -> Bool {
        try await !session.raw(
            """
            UPDATE balance_transactions SET announce_at = NULL
            WHERE account = \(bind: account) AND announce_at IS NOT NULL AND announce_at <= \(bind: now)
            RETURNING id
            """
        ).all().isEmpty
    }

    func saveAccount(_ account: Account) async throws {
        try await session.saveAccount(account)
    }

    func balanceEntry(_ id: String, account: String) async throws -> BalanceEntry? {
        try await session.raw(
            "SELECT document FROM balance_transactions WHERE id = \(bind: id) AND account = \(bind: account)"
        ).document(BalanceEntry.self)
    }

    func totalBalance(of account: String) async throws -> [String: Int] {
        struct Total: Decodable {
            var currency: String
            var total: Int
        }
        let totals = try await session.raw(
            """
            SELECT currency, CAST(SUM(net) AS BIGINT) AS total FROM balance_transactions
            WHERE account = \(bind: account) GROUP BY currency
            """
        ).rows(Total.self)
        return Dictionary(totals.map { ($0.currency, $0.total) }, uniquingKeysWith: +)
    }

    func availableBalance(of account: String, now: Int) async throws -> [String: Int] {
        struct Total: Decodable {
            var currency: String
            var total: Int
        }
        let totals = try await session.raw(
            """
            SELECT currency, CAST(SUM(net) AS BIGINT) AS total FROM balance_transactions
            WHERE account = \(bind: account) AND available_on <= \(bind: now) GROUP BY currency
            """
        ).rows(Total.self)
        return Dictionary(totals.map { ($0.currency, $0.total) }, uniquingKeysWith: +)
    }
}

extension SQLSession {
    /// The object `id` if `account` owns it; with `lock`, locked for the transaction.
    func object(_ id: String, account: String, lock: Bool) async throws -> StoredObject? {
        try await raw(
            """
            SELECT \(unsafeRaw: ObjectRow.columns) FROM objects
            WHERE id = \(bind: id) AND account = \(bind: account)\(unsafeRaw: lock ? flavor.forUpdate : "")
            """
        ).row(ObjectRow.self)?.object()
    }

    /// The SELECT of an account's live objects of one kind matching `filter`, without order.
    func objectsQuery(account: String, kind: ObjectKind, filter: ObjectFilter) -> SQLQueryString {
        var query: SQLQueryString = """
            SELECT \(unsafeRaw: ObjectRow.columns) FROM objects
            WHERE account = \(bind: account) AND type = \(bind: kind.rawValue) AND deleted_at IS NULL
            """
        if let customer = filter.customer { query += " AND customer = \(bind: customer)" }
        if let parent = filter.parent { query += " AND parent = \(bind: parent)" }
        if let statuses = filter.statuses {
            query += statuses.isEmpty ? " AND 1 = 0" : " AND status IN (\(binds: statuses))"
        }
        if !filter.excludedStatuses.isEmpty {
            query += " AND (status IS NULL OR status NOT IN (\(binds: filter.excludedStatuses)))"
        }
        for (path, value) in filter.fields.sorted(by: { $0.key < $1.key }) {
            query += " AND \(unsafeRaw: flavor.jsonText("document", path)) = \(bind: value)"
        }
        if let created = filter.created {
            if let gt = created.gt { query += " AND created > \(bind: gt)" }
            if let gte = created.gte { query += " AND created >= \(bind: gte)" }
            if let lt = created.lt { query += " AND created < \(bind: lt)" }
            if let lte = created.lte { query += " AND created <= \(bind: lte)" }
        }
        return query
    }
}
