import SQLKit

extension SQLStore: SeedStore {
    public func seededObject(kind: String, key: String) async throws -> String? {
        try await transaction { session in
            try await session.raw(
                "SELECT object_id FROM seed_objects WHERE kind = \(bind: kind) AND key = \(bind: key)"
            ).first(decodingColumn: "object_id", as: String.self)
        }
    }

    public func recordSeededObject(kind: String, key: String, id: String) async throws {
        try await transaction { session in
            try await session.raw(
                "INSERT INTO seed_objects (kind, key, object_id) VALUES (\(bind: kind), \(bind: key), \(bind: id))"
            ).run()
        }
    }
}
