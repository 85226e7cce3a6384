import ConnectModel
import Foundation
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
    /// Which hosts webhook endpoints may point at: `public` refuses this machine and private networks.
    public var webhookDestinations: WebhookDestinations = .any
    /// The URL people and clients reach Junction at (`https://junction.example`), when it is not
    /// `http://host:port`: links are built on it and cookies are `Secure` when it is https.
    public var publicURL: String?
    /// Seconds a connection may take to send a whole request head (idle between requests, or
    /// dripping one) before it is closed.
    public var idleTimeout = 60

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
