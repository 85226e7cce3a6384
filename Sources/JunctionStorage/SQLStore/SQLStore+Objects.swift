import ConnectModel
import SQLKit

extension SQLStore: ObjectStore {
    public func write<R: Sendable>(_ body: @escaping @Sendable (any ObjectTransaction) async throws -> R) async throws
        -> R
    {
        try await transaction { session in try await body(SQLObjectTransaction(session: session)) }
    }

    public func object(_ id: String, account: String) async throws -> StoredObject? {
        try await read { session in try await session.object(id, account: account, lock: false) }
    }

    public func objects(account: String, kind: ObjectKind, filter: ObjectFilter, page: PageRequest) async throws
        -> Page<StoredObject>
    {
        var filter = filter
        // The page's `created` filter joins the list's own.
        if filter.created == nil { filter.created = page.created }
        let base = filter
        return try await read { session in
            try await session.page(
                session.objectsQuery(account: account, kind: kind, filter: base), order: "seq",
                createdColumn: "created", page: PageRequest(limit: page.limit, cursor: page.cursor),
                noun: kind.rawValue.replacingOccurrences(of: "_", with: " "),
                seqOf: { id in
                    try await session.raw(
                        "SELECT seq FROM objects WHERE id = \(bind: id) AND account = \(bind: account)"
                    )
                    .first(decodingColumn: "seq", as: Int.self)
                }, decode: { try await $0.rows(ObjectRow.self).map { try $0.object() } })
        }
    }

    public func dueObjects(kind: ObjectKind, now: Int, limit: Int) async throws -> [StoredObject] {
        try await transaction { session in
            try await session.raw(
                """
                SELECT \(unsafeRaw: ObjectRow.columns) FROM objects
                WHERE type = \(bind: kind.rawValue) AND due_at IS NOT NULL AND deleted_at IS NULL AND due_at <= \(bind: now)
                ORDER BY due_at LIMIT \(bind: limit)
                """
            ).rows(ObjectRow.self).map { try $0.object() }
        }
    }

    public func oldestDue(now: Int) async throws -> Int? {
        try await read { session in
            try await session.raw(
                """
                SELECT MIN(due_at) AS due FROM objects
                WHERE due_at IS NOT NULL AND deleted_at IS NULL AND due_at <= \(bind: now)
                """
            ).first(decodingColumn: "due", as: Int?.self) ?? nil
        }
    }
}
