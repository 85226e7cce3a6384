import JunctionStorage
import Logging

/// A `--database` value that is not one of the three accepted forms.
public struct DatabaseURLError: Error, CustomStringConvertible {
    public var description: String
}

enum DatabaseOpener {
    /// Opens the database named by `url` (the migrations run once the server starts).
    static func open(_ url: String, logger: Logger) async throws -> any SQLBackend {
        if url == "sqlite::memory:" {
            return try await SQLiteBackend.open(path: nil, logger: logger)
        }
        if url.hasPrefix("sqlite:") {
            let path = String(url.dropFirst("sqlite:".count))
            guard !path.isEmpty else {
                throw DatabaseURLError(description: "--database sqlite: needs a path, e.g. sqlite:junction.sqlite")
            }
            return try await SQLiteBackend.open(path: path, logger: logger)
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            return try PostgresBackend(url: url, logger: logger)
        }
        throw DatabaseURLError(
            description:
                "Unsupported --database '\(url)': use sqlite:<path>, sqlite::memory: or postgres://user:pass@host:port/db"
        )
    }
}
