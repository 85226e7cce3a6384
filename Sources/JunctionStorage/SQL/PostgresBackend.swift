import Logging
import PostgresKit
import PostgresNIO
import SQLKit
import ServiceLifecycle

/// PostgreSQL through PostgresNIO's pool; several Junction instances may share one database.
public final class PostgresBackend: SQLBackend {
    public let flavor = SQLFlavor.postgres
    private let client: PostgresClient
    public var services: [any Service] { [client] }

    /// - Parameter url: `postgres://user:pass@host:port/db` (`sslmode=disable` is the default here).
    public init(url: String, logger: Logger) throws {
        let parsed = try SQLPostgresConfiguration(url: url).coreConfiguration
        guard let host = parsed.host, let port = parsed.port else {
            throw PostgresURLError(message: "The PostgreSQL URL must name a host and a port: \(url)")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: parsed.username, password: parsed.password, database: parsed.database,
            tls: .disable)
        configuration.options.maximumConnections = 16
        self.client = PostgresClient(
            configuration: configuration, backgroundLogger: SQLLogging.withoutStatements(logger))
    }

    public func transaction<R: Sendable>(_ body: @Sendable (SQLSession) async throws -> R) async throws -> R {
        guard !TransactionScope.active else { throw NestedTransactionError() }
        return try await client.withConnection { connection in
            try await runTransaction(on: SQLSession(db: connection.sql(), flavor: .postgres), begin: "BEGIN", body)
        }
    }

    public func close() async throws {}
}

public struct PostgresURLError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
