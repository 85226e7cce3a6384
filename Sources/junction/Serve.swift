import ArgumentParser
import ConnectModel
import Foundation
import JunctionApp
import JunctionListen
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Junction server.",
        discussion: """
            Every option can also be set through its environment variable; an option given on the \
            command line wins.

            When ready, Junction prints one line, "junction listening on http://HOST:PORT", and \
            GET /healthz answers 200. SIGTERM and SIGINT stop it gracefully (requests in flight finish).
            """)

    @Option(help: "Address to listen on. Environment: JUNCTION_HOST. Default: 127.0.0.1.")
    var host: String?

    @Option(help: "Port to listen on (0 picks a free one). Environment: JUNCTION_PORT. Default: 12111.")
    var port: Int?

    @Option(
        help: ArgumentHelp(
            "Database: sqlite:<path>, sqlite::memory: or postgres://user:pass@host:port/db. Migrations run at start. Environment: JUNCTION_DATABASE. Default: sqlite:junction.sqlite.",
            valueName: "url"))
    var database: String?

    @Option(
        help: ArgumentHelp(
            "Bearer token of the /_junction control API. Environment: JUNCTION_ADMIN_TOKEN. Default: a new random token, printed at start.",
            valueName: "token"))
    var adminToken: String?

    @Option(
        help:
            "Log level: trace, debug, info, notice, warning, error, critical. Environment: JUNCTION_LOG_LEVEL. Default: info."
    )
    var logLevel: String?

    @Option(
        help: ArgumentHelp(
            "A YAML file of applications, users and accounts to create at start; running it again creates nothing new. See seed.example.yaml. Environment: JUNCTION_SEED.",
            valueName: "file"))
    var seed: String?

    @Option(
        help: ArgumentHelp(
            "Where webhook endpoints may point: any (the default: localhost is the point on a developer's machine) or public (refuses this machine and private networks, for a Junction teams share). Environment: JUNCTION_WEBHOOK_DESTINATIONS.",
            valueName: "any|public"))
    var webhookDestinations: String?

    @Option(
        help: ArgumentHelp(
            "The URL people and clients reach Junction at, when a proxy stands in front (https://junction.example.com): links are built on it instead of the request's Host, and with https the session cookie is Secure. Environment: JUNCTION_PUBLIC_URL.",
            valueName: "url"))
    var publicURL: String?

    @Option(
        help: ArgumentHelp(
            "Seconds a connection may take to send a whole request head, idle between requests or sending one slowly, before it is closed. Environment: JUNCTION_IDLE_TIMEOUT. Default: 60.",
            valueName: "seconds"))
    var idleTimeout: Int?

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        let portText = port.map(String.init) ?? env["JUNCTION_PORT"] ?? "12111"
        guard let resolvedPort = Int(portText), (0...65535).contains(resolvedPort) else {
            throw ValidationError("Invalid port '\(portText)': use a number from 0 to 65535.")
        }
        let levelText = logLevel ?? env["JUNCTION_LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: levelText) else {
            throw ValidationError("Invalid log level '\(levelText)'.")
        }
        let token = adminToken ?? env["JUNCTION_ADMIN_TOKEN"]
        let boundHost = host ?? env["JUNCTION_HOST"] ?? "127.0.0.1"
        // Anyone who can reach a shared server could guess a short token; on loopback only this
        // machine's users can, and a short one keeps local commands short.
        if let token, token.count < 16, !["127.0.0.1", "::1", "localhost"].contains(boundHost) {
            throw ValidationError(
                "The admin token must be at least 16 characters when Junction listens on \(boundHost); leave it out to get a random one."
            )
        }
        if adminToken != nil {
            FileHandle.standardError.write(
                Data(
                    "junction: --admin-token is visible to other users of this machine (ps); JUNCTION_ADMIN_TOKEN is not.\n"
                        .utf8))
        }
        let destinationsText = webhookDestinations ?? env["JUNCTION_WEBHOOK_DESTINATIONS"] ?? "any"
        guard let destinations = WebhookDestinations(rawValue: destinationsText) else {
            throw ValidationError("Invalid webhook destinations '\(destinationsText)': use any or public.")
        }
        var configuration = JunctionConfiguration(
            host: boundHost, port: resolvedPort,
            database: database ?? env["JUNCTION_DATABASE"] ?? "sqlite:junction.sqlite", adminToken: token,
            logLevel: level, seed: seed ?? env["JUNCTION_SEED"])
        configuration.webhookDestinations = destinations
        let idleText = idleTimeout.map(String.init) ?? env["JUNCTION_IDLE_TIMEOUT"] ?? "60"
        guard let idle = Int(idleText), (1...3600).contains(idle) else {
            throw ValidationError("Invalid idle timeout '\(idleText)': use a number of seconds from 1 to 3600.")
        }
        configuration.idleTimeout = idle
        if let url = publicURL ?? env["JUNCTION_PUBLIC_URL"] {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""),
                parsed.host?.isEmpty == false, parsed.query == nil
            else { throw ValidationError("Invalid public URL '\(url)': use http(s)://host[:port][/path].") }
            configuration.publicURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        }
        if token == nil {
            FileHandle.standardOutput.write(Data("junction admin token: \(configuration.adminToken)\n".utf8))
        }
        let app = try await buildApplication(
            configuration,
            onReady: { url in
                // Written unbuffered: scripts wait for this line to know the server is ready.
                FileHandle.standardOutput.write(Data("junction listening on \(url)\n".utf8))
            },
            report: { line in FileHandle.standardOutput.write(Data("\(line)\n".utf8)) })
        try await app.runService()
    }
}
