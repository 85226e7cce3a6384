import ConnectModel
import Foundation
import JunctionStorage
import Logging

/// How `junction serve` was asked to run.
public struct JunctionConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// `sqlite:<path>`, `sqlite::memory:` or `postgres://user:pass@host:port/db`.
    public var database: String
    /// The control API's bearer token.
    public var adminToken: String
    public var logLevel: Logger.Level
    /// A YAML file of applications, users and accounts to create at start (idempotent).
    public var seed: String?

    public init(
        host: String = "127.0.0.1", port: Int = 12111, database: String = "sqlite:junction.sqlite",
        adminToken: String? = nil, logLevel: Logger.Level = .info, seed: String? = nil
    ) {
        self.seed = seed
        self.host = host
        self.port = port
        self.database = database
        self.adminToken = adminToken ?? Identifiers.secret("jat_")
        self.logLevel = logLevel
    }
}

/// A `--database` value that is not one of the three accepted forms.
public struct DatabaseURLError: Error, CustomStringConvertible {
    public var description: String
}

enum DatabaseOpener {
    /// Opens the database named by `url` and runs the migrations.
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
