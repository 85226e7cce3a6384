import SQLKit

extension SQLStore: ClockStore {
    public func clockOffset() async throws -> Int {
        try await transaction { session in
            try await session.raw("SELECT offset_seconds FROM clock WHERE id = 1").first(
                decodingColumn: "offset_seconds", as: Int.self) ?? 0
        }
    }

    public func advanceClock(by seconds: Int) async throws -> Int {
        try await transaction { session in
            try await session.raw(
                """
                UPDATE clock SET offset_seconds = offset_seconds + \(bind: max(0, seconds)) WHERE id = 1
                RETURNING offset_seconds
                """
            ).first(decodingColumn: "offset_seconds", as: Int.self) ?? 0
        }
    }
}
